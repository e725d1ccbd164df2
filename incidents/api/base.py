"""The base of the incidents API's views: scoping, write throttling and the error shape.

Viewsets over ``ScopedViewSet`` stay a few lines each: their queryset is limited by the
model's ``visible_to(user)`` (an object outside it is a 404, never a 403), writes are
throttled (scope ``writes``, setting ``API_WRITE_RATE``), and the domain's errors become
the API's in ``gridcenter.api.exception_handler``: ``CaseValidationError`` → 400 with
field messages, ``CasePermissionDenied`` → 403, ``CaseNotFound`` → 404,
``InvalidTransition`` → 409.
"""

from __future__ import annotations

from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from gridcenter.api import WriteThrottleMixin


class ScopedAPIView(WriteThrottleMixin, APIView):
    pass


class ScopedViewSet(WriteThrottleMixin, GenericViewSet):
    """A viewset over a model whose queryset has ``visible_to(user)``."""

    def scope(self, queryset):
        return queryset.visible_to(self.request.user)

    def get_queryset(self):
        return self.scope(super().get_queryset())
