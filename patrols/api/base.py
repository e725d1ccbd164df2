"""The base of the field-work API's views: write throttling and the error shape.

The domain's errors (``patrols.exceptions``, and ``incidents.exceptions`` where a step
touches a case) become the API's in ``gridcenter.api.exception_handler``: a validation
error → 400 with field messages, "permission denied" → 403, "not found" → 404, a
conflict → 409.
"""

from __future__ import annotations

from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from gridcenter.api import WriteThrottleMixin


class FieldWorkAPIView(WriteThrottleMixin, APIView):
    pass


class FieldWorkViewSet(WriteThrottleMixin, GenericViewSet):
    """A viewset over a model whose queryset has ``visible_to(user)``: objects outside it are 404s."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)
