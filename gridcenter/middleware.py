from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.validators import ProhibitNullCharactersValidator
from django.http import JsonResponse
from django.utils import translation
from rest_framework.response import Response

from gridcenter.httperrors import as_json, is_api
from gridcenter.views import healthz

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers exactly ``GET /healthz`` before anything reads the Host header.

    The container health checks call ``http://127.0.0.1:…/healthz``, a host that the
    production ``ALLOWED_HOSTS`` refuses. First in ``MIDDLEWARE``, this answers that one
    path without ``request.get_host()`` (and without SecurityMiddleware's redirect to
    HTTPS); every other path, ``/healthz/`` included, goes on to the host check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """Chinese unless the user picked another language with the page's switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; the
    centre's screens and shared phones must speak Chinese regardless of how the
    browser was set up, so only the explicit choice (the language cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ApiErrorMiddleware:
    """Every error answer under ``/api/`` is JSON (``{"detail", "code"}``).

    DRF's views answer their own errors in JSON; this catches what comes from elsewhere
    (Django's pages: a URL that matches nothing, a refused host, a crash, ``DEBUG``'s
    pages) and keeps the status and the ``Allow`` / ``Retry-After`` headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not isinstance(response, Response)  # DRF's own answer, negotiated with the client
            and not response.streaming
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return as_json(response)
        return response


class NullCharacterMiddleware:
    """A NUL character in the path or a query parameter is a 400, before any view.

    PostgreSQL text cannot hold NUL (the driver raises ``ValueError``: a 500), and no
    parameter of this platform needs one. The API answers ``{"<parameter>": ["…"]}``;
    pages answer Django's 400 page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = [name for name, values in request.GET.lists() if "\x00" in name or any("\x00" in v for v in values)]
        if "\x00" in request.path_info:
            names.append("path")
        if not names:
            return self.get_response(request)
        message = str(ProhibitNullCharactersValidator.message)
        if not is_api(request):
            raise BadRequest(message)
        fields = {("non_field_errors" if "\x00" in name else name): [message] for name in names}
        return JsonResponse(fields, status=400, json_dumps_params={"ensure_ascii": False})


# Permissions-Policy by path: the phone pages (/m/: reporting, patrols) locate and photograph,
# the public finder (/find/) locates; nothing else may ask for either.
PERMISSIONS_POLICIES = (
    ("/m/", "geolocation=(self), camera=(self), microphone=()"),
    ("/find/", "geolocation=(self), camera=(), microphone=()"),
)
DEFAULT_PERMISSIONS_POLICY = "geolocation=(), camera=(), microphone=()"


class PrivacyHeadersMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user (session or
    token) that sets no Cache-Control of its own: such pages and API answers may hold personal
    data, which no browser or proxy cache should keep. And a Permissions-Policy on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # set on the Django request by DRF's token auth too
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = next(
                (policy for prefix, policy in PERMISSIONS_POLICIES if request.path.startswith(prefix)),
                DEFAULT_PERMISSIONS_POLICY,
            )
        return response
