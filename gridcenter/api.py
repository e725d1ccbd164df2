"""The error shape shared by every API endpoint."""

from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler


class PublicRateThrottle(AnonRateThrottle):
    """Limits anonymous callers of the public endpoints per address (``API_PUBLIC_RATE``)."""

    scope = "public"


def exception_handler(exc, context):
    """DRF's handler, with every error body an object.

    Validation errors keep DRF's ``{"field": ["message"]}``; other errors carry
    ``{"detail": "...", "code": "..."}`` so a phone can branch on the code.
    """
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"non_field_errors": response.data}
    elif isinstance(response.data, dict) and "detail" in response.data and "code" not in response.data:
        response.data["code"] = getattr(response.data["detail"], "code", None) or getattr(exc, "default_code", "error")
    return response
