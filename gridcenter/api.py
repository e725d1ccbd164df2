"""What every API endpoint shares: its base classes, throttling, paging and the error shape.

Views derive from ``BaseAPIView``; viewsets over a model from ``ScopedViewSet``, whose
queryset is limited by the model's ``visible_to(user)`` (an object outside it is a 404,
never a 403). Writes are throttled per user (scope ``writes``, ``API_WRITE_RATE``); every
throttle lets the request through, with a warning in the log, when the cache (Redis) does
not answer, so a Redis outage never stops a report. The domain's errors
(``gridcenter.errors``) become the API's in ``exception_handler``: validation → 400 with
field messages, permission → 403, not found → 404, conflict → 409; PostgreSQL or Redis
not answering where the request cannot do without it → 503 with ``Retry-After``; a body
over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` → 413.
"""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError
from rest_framework import exceptions, serializers, status, throttling
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from gridcenter.errors import DomainError, DomainValidationError
from gridcenter.files import private_file_response

logger = logging.getLogger(__name__)
# Seconds a client is told to wait (Retry-After) when PostgreSQL or Redis does not answer.
RETRY_AFTER_SECONDS = 30


def stored_image_response(name: str) -> HttpResponseBase:
    """A stored (re-encoded, EXIF-free) JPEG, for callers already checked to see it."""
    try:
        # Private: a shared proxy must not hand one person's case photos to another.
        return private_file_response(name, "image/jpeg", "private, max-age=86400")
    except FileNotFoundError:
        raise exceptions.NotFound() from None


class RefSerializer(serializers.Serializer):
    """Another resource named by its id, code and name (a department, a grid)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class NumberField(serializers.FloatField):
    """An input number: ``true``/``false`` are not numbers, though Python's ``float()`` takes them."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(serializers.CharField):
    """An input text: a number is not a text, though DRF's ``CharField`` reads one as its digits."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class FailOpenThrottleMixin(BaseThrottle):
    """A throttle that lets the request through when the cache does not answer.

    Rate limits keep their counters in Redis; during an outage a report from a phone
    matters more than the limit, so the request goes on and the log says why.
    """

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            scope = getattr(self, "scope", None)
            logger.warning("throttle %s not applied, the cache does not answer: %r", scope, exc)
            return True


class ScopedRateThrottle(FailOpenThrottleMixin, throttling.ScopedRateThrottle):
    """DRF's per-scope throttle (``throttle_scope``), failing open."""


class WriteThrottleMixin(APIView):
    """Writes are limited per user (scope ``writes``, ``API_WRITE_RATE``) on top of the view's own throttles."""

    throttle_scope = "writes"

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.request.method not in SAFE_METHODS:
            throttles.append(ScopedRateThrottle())
        return throttles


class BaseAPIView(WriteThrottleMixin, APIView):
    """The base of every API view."""


class ScopedViewSet(WriteThrottleMixin, GenericViewSet):
    """The base of every viewset over a model whose queryset has ``visible_to(user)``."""

    def scope(self, queryset):
        """What the user may see of ``queryset`` (a viewset whose model has no ``visible_to`` overrides this)."""
        return queryset.visible_to(self.request.user)

    def get_queryset(self):
        return self.scope(super().get_queryset())


class PublicRateThrottle(FailOpenThrottleMixin, throttling.AnonRateThrottle):
    """Limits anonymous callers of the public endpoints per address (``API_PUBLIC_RATE``)."""

    scope = "public"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The current state does not allow this.")
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """What cannot work now (PostgreSQL or Redis does not answer); ``wait`` becomes ``Retry-After``."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is briefly unavailable; please try again shortly.")
    default_code = "unavailable"
    wait = RETRY_AFTER_SECONDS


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


# PostgreSQL or Redis not answering: what the request needs cannot work now (503).
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, RedisError)

_BY_STATUS: dict[int, type[exceptions.APIException]] = {
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    409: Conflict,
}


def api_exception(exc: DomainError) -> exceptions.APIException:
    """The DRF exception that answers a domain error (the one place this is decided)."""
    if isinstance(exc, DomainValidationError):
        return exceptions.ValidationError(exc.errors)
    error_class = _BY_STATUS.get(exc.status_code)
    if error_class is None:
        return exceptions.ValidationError({"non_field_errors": [exc.message]})
    return error_class(exc.message, code=exc.code)


def exception_handler(exc, context):
    """DRF's handler, with domain errors answered too and every error body an object.

    Validation errors keep DRF's ``{"field": ["message"]}``; other errors carry
    ``{"detail": "...", "code": "..."}`` so a phone can branch on the code.
    """
    if isinstance(exc, DomainError):
        exc = api_exception(exc)
    elif isinstance(exc, UNAVAILABLE_ERRORS):
        logger.warning("answered 503, a data store does not answer: %r", exc)
        exc = ServiceUnavailable()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    elif isinstance(response.data, dict) and "detail" in response.data and "code" not in response.data:
        response.data["code"] = getattr(response.data["detail"], "code", None) or getattr(exc, "default_code", "error")
    return response
