"""Small helpers shared by the field-work domain functions: roles, input checks, photos."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.roles import Role, acting_role
from gridcenter import photos
from grids.models import Grid
from patrols.exceptions import FieldWorkPermissionDenied, FieldWorkValidationError
from patrols.limits import CLOCK_SKEW


def require_role(user, roles: frozenset[Role] | set[Role], message: str) -> Role:
    """The first of ``roles`` the user holds, or ``FieldWorkPermissionDenied``."""
    role = acting_role(user, roles)
    if role is None:
        raise FieldWorkPermissionDenied(message)
    return role


def clean_text(field: str, value, *, required: bool, limit: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FieldWorkValidationError.field(field, _("This field is required."))
    if len(value) > limit:
        raise FieldWorkValidationError.field(field, _("At most %(limit)d characters.") % {"limit": limit})
    return value


def coordinate(field: str, value, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise FieldWorkValidationError.field(field, _("A number is required.")) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise FieldWorkValidationError.field(
            field, _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return number


def optional_point(lat, lng):
    """A point from a latitude and longitude given together, ``None`` for neither (a 400 for one)."""
    if (lat is None) != (lng is None):
        raise FieldWorkValidationError.field("lat", _("Give both latitude and longitude, or neither."))
    if lat is None:
        return None
    from grids.services import make_point

    return make_point(coordinate("lat", lat, -90, 90), coordinate("lng", lng, -180, 180))


def client_time(field: str, value: datetime | str | None, now: datetime, *, earliest: timedelta | None = None):
    """A time the phone recorded (a datetime or ISO 8601 text): aware, not in the future
    (beyond clock skew), clamped to now."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = parse_datetime(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise FieldWorkValidationError.field(field, _("Give a date and time with its time zone."))
    if value > now + CLOCK_SKEW:
        raise FieldWorkValidationError.field(field, _("This time is in the future."))
    if earliest is not None and value < now - earliest:
        raise FieldWorkValidationError.field(field, _("This time is too long ago."))
    return min(value, now)


def worker_grids(user) -> QuerySet[Grid]:
    """The grids of the active map a grid worker serves."""
    return Grid.objects.active().filter(workers__user=user).select_related("community__township")


def grid_of_worker(worker, grid: Grid | int | None, field: str = "grid") -> Grid:
    """``grid`` checked to be one of ``worker``'s grids; by default their only grid."""
    grids = worker_grids(worker)
    if grid is None:
        mine = list(grids[:2])
        if len(mine) == 1:
            return mine[0]
        if not mine:
            raise FieldWorkValidationError.field(field, _("This grid worker is not assigned to any grid."))
        raise FieldWorkValidationError.field(field, _("Choose one of the grid worker's grids."))
    grid_id = grid.pk if isinstance(grid, Grid) else grid
    try:
        return grids.get(pk=int(grid_id))
    except (Grid.DoesNotExist, TypeError, ValueError):
        raise FieldWorkValidationError.field(field, _("Not one of the grid worker's grids.")) from None


def stored_photos(uploads: Sequence | None):
    """``gridcenter.photos.stored_photos`` with bad photos reported as ``FieldWorkValidationError``."""
    return photos.stored_photos(uploads, FieldWorkValidationError)
