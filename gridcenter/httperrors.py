"""Errors that no view answered, each in the caller's language: JSON under ``/api/``.

Django answers some errors before or around any view: a URL that matches nothing (a
non-numeric id), a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, a refused host, a crash.
Its pages are HTML; a phone parsing the API's answers needs ``{"detail", "code"}``. The
handlers here (``handler400`` … ``handler500`` in ``gridcenter/urls.py``) answer JSON
under ``/api/`` and Django's pages elsewhere; ``ApiErrorMiddleware`` turns any other
error page under ``/api/`` into JSON (Django's debug pages under ``DEBUG`` included).
PostgreSQL or Redis not answering is a 503 with ``Retry-After`` (API and pages), never a 500.
"""

from __future__ import annotations

import sys
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions

from gridcenter.api import RETRY_AFTER_SECONDS, UNAVAILABLE_ERRORS, PayloadTooLarge, ServiceUnavailable

API_PREFIX = "/api/"
# Headers of an error answer that say what to do next; kept when the body becomes JSON.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _detail(status: int) -> tuple[str, str]:
    """The message and code of an API error answer with this status."""
    known: dict[int, tuple[str, str]] = {
        400: (_("Bad request."), "bad_request"),
        401: (str(exceptions.NotAuthenticated.default_detail), "not_authenticated"),
        403: (str(exceptions.PermissionDenied.default_detail), "permission_denied"),
        404: (str(exceptions.NotFound.default_detail), "not_found"),
        405: (_("Method not allowed."), "method_not_allowed"),
        413: (str(PayloadTooLarge.default_detail), PayloadTooLarge.default_code),
        429: (str(exceptions.Throttled.default_detail), "throttled"),
        503: (str(ServiceUnavailable.default_detail), ServiceUnavailable.default_code),
    }
    if status in known:
        return known[status]
    if status >= 500:
        return str(exceptions.APIException.default_detail), "server_error"
    return HTTPStatus(status).phrase, "error"


def json_error(status: int, detail: str | None = None, code: str | None = None) -> JsonResponse:
    default_detail, default_code = _detail(status)
    body = {"detail": detail or default_detail, "code": code or default_code}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def as_json(response: HttpResponse) -> HttpResponse:
    """An error page turned into the API's JSON shape, with the same status and next-step headers."""
    converted = json_error(response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            converted[header] = response[header]
    return converted


def unavailable(request: HttpRequest) -> HttpResponse:
    """503: PostgreSQL or Redis does not answer; try again after ``Retry-After`` seconds."""
    if is_api(request):
        response: HttpResponse = json_error(503)
    else:
        response = HttpResponse(f"<h1>503</h1><p>{ServiceUnavailable.default_detail}</p>", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return json_error(413)
    return json_error(400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return json_error(403) if is_api(request) else defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return json_error(404) if is_api(request) else defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when PostgreSQL or Redis did not answer (Django calls this inside its ``except``)."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return unavailable(request)
    return json_error(500) if is_api(request) else defaults.server_error(request)
