"""Reads about grids that other apps share."""

from __future__ import annotations

from django.db.models import F

from grids.models import Grid, GridWorker

_GRIDS_ATTR = "_gridcenter_grid_ids"


def grid_ids_of(user) -> frozenset[int]:
    """The ids of the grids a grid worker serves (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, _GRIDS_ATTR):
        ids = GridWorker.grids.through.objects.filter(gridworker__user=user).values_list("grid_id", flat=True)
        setattr(user, _GRIDS_ATTR, frozenset(ids))
    return getattr(user, _GRIDS_ATTR)


def grids_of(user) -> list[dict]:
    """The active-map grids a grid worker serves, for ``GET /api/v1/me/``."""
    return list(
        Grid.objects.active()
        .filter(workers__user=user)
        .order_by("code")
        .values("id", "code", "name", community_name=F("community__name"), township_name=F("community__township__name"))
    )
