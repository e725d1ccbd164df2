"""What the field-work views share: who may call them, the documented errors, input parsing."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from accounts.permissions import role_permission
from accounts.roles import CENTRE_ROLES, WALL_SCREEN_ROLES, Role

FIELD_ROLES = role_permission(Role.GRID_WORKER, *CENTRE_ROLES)
CENTRE = role_permission(*CENTRE_ROLES)
WORKERS = role_permission(Role.GRID_WORKER)
MAP_ROLES = role_permission(*WALL_SCREEN_ROLES)
GEOJSON = "application/geo+json"

ERRORS = {
    400: OpenApiResponse(description="Bad input: `{field: [messages]}`; nothing was changed"),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="No such object, or not one you may see"),
    409: OpenApiResponse(description="The current state does not allow this"),
}


def errors(*codes: int) -> dict:
    """The documented error answers for these status codes (the schema's ``responses``)."""
    return {code: ERRORS[code] for code in codes}


def valid(serializer_class, data) -> dict:
    """Parsed input, or the 400 of the API's error shape: views stay one call per step."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
