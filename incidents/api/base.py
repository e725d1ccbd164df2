"""The base of the incidents API's views: scoping, write throttling and the error shape.

Viewsets over ``ScopedViewSet`` stay a few lines each: their queryset is limited by the
model's ``visible_to(user)`` (an object outside it is a 404, never a 403), writes are
throttled (scope ``writes``, setting ``API_WRITE_RATE``), and the domain's errors become
the API's: ``CaseValidationError`` → 400 with field messages, ``CasePermissionDenied`` →
403, ``CaseNotFound`` → 404, ``InvalidTransition`` → 409.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from incidents.exceptions import (
    CaseError,
    CaseNotFound,
    CasePermissionDenied,
    CaseValidationError,
    InvalidTransition,
)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The case's current status does not allow this.")
    default_code = "invalid_transition"


def api_exception(exc: CaseError) -> exceptions.APIException:
    """The DRF exception that answers a domain error."""
    if isinstance(exc, CaseValidationError):
        return exceptions.ValidationError(exc.errors)
    if isinstance(exc, CaseNotFound):
        return exceptions.NotFound(exc.message, code=exc.code)
    if isinstance(exc, CasePermissionDenied):
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    if isinstance(exc, InvalidTransition):
        return Conflict(exc.message, code=exc.code)
    return exceptions.APIException(exc.message, code=exc.code)


class DomainErrorsMixin:
    def handle_exception(self, exc):
        if isinstance(exc, CaseError):
            exc = api_exception(exc)
        return super().handle_exception(exc)

    def get_throttles(self):
        if self.request.method in SAFE_METHODS:
            return []
        return [ScopedRateThrottle()]


class ScopedAPIView(DomainErrorsMixin, APIView):
    throttle_scope = "writes"


class ScopedViewSet(DomainErrorsMixin, GenericViewSet):
    """A viewset over a model whose queryset has ``visible_to(user)``."""

    throttle_scope = "writes"

    def scope(self, queryset):
        return queryset.visible_to(self.request.user)

    def get_queryset(self):
        return self.scope(super().get_queryset())
