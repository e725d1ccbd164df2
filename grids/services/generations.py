"""Switching the live grid map to another generation."""

from __future__ import annotations

from django.db import connection, transaction

from grids.models import Generation


@transaction.atomic
def activate_generation(generation: Generation) -> int:
    """Make ``generation`` the live grid map and move each camera to the grid now covering it.

    Old grids stay (cases keep theirs). Returns the number of cameras re-linked.
    """
    generation.activate()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE grids_camera AS camera SET grid_id = (
                SELECT grid.id FROM grids_grid AS grid
                WHERE grid.generation_id = %s AND ST_Covers(grid.boundary, camera.point)
                ORDER BY grid.code LIMIT 1
            )
            """,
            [generation.pk],
        )
        return cursor.rowcount
