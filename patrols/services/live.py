"""What the wall screen hears of patrols: who starts and stops, and where each one is now.

* ``patrol.started`` and ``patrol.stopped`` go to the ``wallscreen`` group after commit, at once.
* Positions do not: 2,018 phones each sending a batch of fixes every 30 s would be 67 messages a
  second to every screen. A stored batch gives its patrol's newest fix to ``publish_batched``:
  each process sends one ``patrol.positions`` event (``{"items": [...]}``, the newest fix of each
  patrol it heard of) ``PATROL_LIVE_SECONDS`` after the first fix of a batch, so a screen gets at
  most one such event per process (web worker) per that many seconds, however many are walking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection

from accounts.names import display_name
from gridcenter.realtime import WALLSCREEN_GROUP, publish, publish_batched
from patrols.choices import PatrolStatus
from patrols.models import Patrol

STARTED = "patrol.started"
STOPPED = "patrol.stopped"
POSITIONS = "patrol.positions"


def announce(patrol: Patrol, event_type: str) -> None:
    """``patrol.started`` (with the worker's name and the grid) or ``patrol.stopped``, after commit."""
    payload: dict[str, Any] = {
        "patrol": patrol.pk,
        "grid": patrol.grid_id,
        "worker": patrol.worker_id,
        "status": patrol.status,
        "started_at": patrol.started_at.isoformat(),
        "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
        "distance_m": round(patrol.distance_m),
    }
    if event_type == STARTED:
        payload.update(name=display_name(patrol.worker), grid_name=patrol.grid.name)
    publish([WALLSCREEN_GROUP], event_type, payload)


def announce_position(patrol: Patrol, name: str, *, lat: float, lng: float, at: datetime) -> None:
    """The patrol's newest fix, in the next ``patrol.positions`` batch (see the module docstring)."""
    item = {"patrol": patrol.pk, "worker": patrol.worker_id, "name": name, "lat": round(lat, 5), "lng": round(lng, 5)}
    item["at"] = at.isoformat()
    publish_batched(WALLSCREEN_GROUP, POSITIONS, patrol.pk, item, every=settings.PATROL_LIVE_SECONDS)


# Every open patrol with its worker, grid and newest fix (one index probe per patrol).
_ON_PATROL = """
    SELECT p.id, p.worker_id, u.last_name || u.first_name, u.username, g.id, g.name, p.started_at,
           ST_Y(last.point), ST_X(last.point), last.recorded_at
    FROM patrols_patrol p
    JOIN auth_user u ON u.id = p.worker_id
    JOIN grids_grid g ON g.id = p.grid_id
    LEFT JOIN LATERAL (
        SELECT t.point, t.recorded_at FROM patrols_trackpoint t
        WHERE t.patrol_id = p.id ORDER BY t.seq DESC LIMIT 1
    ) last ON true
    WHERE p.status = %s
    ORDER BY p.started_at, p.id
"""


def on_patrol_now() -> list[dict[str, Any]]:
    """The workers on patrol now, for the wall screen's snapshot (positions as the events give them)."""
    with connection.cursor() as cursor:
        cursor.execute(_ON_PATROL, [PatrolStatus.ACTIVE])
        rows = cursor.fetchall()
    return [
        {
            "patrol": row[0],
            "worker": row[1],
            "name": row[2].strip() or row[3],
            "grid": row[4],
            "grid_name": row[5],
            "started_at": row[6].isoformat(),
            "lat": round(row[7], 5) if row[7] is not None else None,
            "lng": round(row[8], 5) if row[8] is not None else None,
            "at": row[9].isoformat() if row[9] else None,
        }
        for row in rows
    ]
