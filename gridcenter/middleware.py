from django.conf import settings
from django.utils import translation

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
