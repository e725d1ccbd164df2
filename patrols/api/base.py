"""The base of the field-work API's views: write throttling and the error shape.

The domain's errors (``patrols.exceptions``, and ``incidents.exceptions`` where a step
touches a case) become the API's: a validation error → 400 with field messages,
"permission denied" → 403, "not found" → 404, a conflict → 409.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from incidents.exceptions import CaseError, CaseValidationError
from patrols.exceptions import FieldWorkError, FieldWorkValidationError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The current state does not allow this.")
    default_code = "conflict"


_BY_STATUS: dict[int, type[exceptions.APIException]] = {
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    409: Conflict,
}


def api_exception(exc: FieldWorkError | CaseError) -> exceptions.APIException:
    if isinstance(exc, FieldWorkValidationError | CaseValidationError):
        return exceptions.ValidationError(exc.errors)
    error_class = _BY_STATUS.get(exc.status_code)
    if error_class is None:
        return exceptions.ValidationError({"non_field_errors": [exc.message]})
    return error_class(exc.message, code=exc.code)


class FieldWorkAPIMixin:
    throttle_scope = "writes"

    def handle_exception(self, exc):
        if isinstance(exc, FieldWorkError | CaseError):
            exc = api_exception(exc)
        return super().handle_exception(exc)

    def get_throttles(self):
        if self.request.method in SAFE_METHODS:
            return []
        return [ScopedRateThrottle()]


class FieldWorkAPIView(FieldWorkAPIMixin, APIView):
    pass


class FieldWorkViewSet(FieldWorkAPIMixin, GenericViewSet):
    """A viewset over a model whose queryset has ``visible_to(user)``: objects outside it are 404s."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
