"""What the wall screen is sent for one case event, built once per event per process.

A case event (``case.<action>``, published after commit by the incidents domain layer to
the ``wallscreen`` group) reaches every connected screen. The update it becomes (the
case's marker, its grid's counts, the five figures and today's) is read from the
maintained counts after the commit, once per ASGI process however many screens it
serves, and sent to each as the same text.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from channels.db import database_sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.utils import timezone

from dashboard.rollups import fold, read_current
from dashboard.sla import overdue_cases, sla_level
from dashboard.snapshot import ST_X, ST_Y, build_snapshot, today_figures
from gridcenter.realtime import SCHEMA_VERSION
from incidents.choices import CaseStatus, figures_from_counts
from incidents.models import Case

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class LatLng(TypedDict):
        lat_: float
        lng_: float


CASE_EVENT = "case.event"
SNAPSHOT = "snapshot"
ERROR = "error"
MEMO_SECONDS = 10.0


def encode(message_type: str, data: dict[str, Any]) -> str:
    """One message of the wall screen's schema (README, "Wall screen messages")."""
    return json.dumps(
        {"v": SCHEMA_VERSION, "type": message_type, "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _case(case_id) -> WithAnnotations[Case, LatLng] | None:
    return (
        Case.objects.filter(pk=case_id)
        .select_related("subcategory", "grid__community__township", "lead_department")
        .annotate(lat_=ST_Y("location"), lng_=ST_X("location"))
        .only(
            "id",
            "tracking_no",
            "status",
            "deadline",
            "held_since",
            "sla_warning_at",
            "urge_count",
            "grid_id",
            "subcategory__name",
            "grid__name",
            "grid__community__township__name",
            "lead_department__name",
        )
        .first()
    )


def event_update(event: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """The ``case.event`` message's data for one published case event (see the README)."""
    now = now or timezone.now()
    payload = event.get("data") or {}
    case = _case(payload.get("case"))
    grid_id = case.grid_id if case else None
    fold()
    current = read_current(timezone.localdate(now), grid_id)
    overdue = overdue_cases(now).order_by().aggregate(total=Count("id"), grid=Count("id", filter=Q(grid_id=grid_id)))
    data: dict[str, Any] = {
        "event": {
            "type": event.get("type"),
            "action": payload.get("action"),
            "case": payload.get("case"),
            "tracking_no": payload.get("tracking_no"),
            "from_status": payload.get("from_status"),
            "status": payload.get("status"),
            "at": payload.get("at"),
        },
        "case": None,
        "grid": None,
        "figures": figures_from_counts(current.statuses),
        "today": today_figures(
            timezone.localdate(now),
            {timezone.localdate(now): current.today_created},
            {timezone.localdate(now): current.today_actions},
            overdue["total"],
        ),
    }
    if case is not None:
        data["case"] = {
            "id": case.pk,
            "tracking_no": case.tracking_no,
            "lat": round(case.lat_, 5),
            "lng": round(case.lng_, 5),
            "status": case.status,
            "sla": sla_level(case, now),
            "subitem": case.subcategory.name,
            "grid": case.grid.name,
            "township": case.grid.community.township.name,
            "department": case.lead_department.name if case.lead_department else None,
            "urge_count": case.urge_count,
        }
        data["grid"] = {
            "id": case.grid_id,
            "open": sum(n for status, n in current.grid_statuses.items() if status in CaseStatus.ACTIVE),
            "overdue": overdue["grid"],
        }
    return data


def snapshot_text(user) -> str:
    return encode(SNAPSHOT, build_snapshot(user))


class _SnapshotBuild:
    """One reading of a user's snapshot, shared by the screens that asked before it began."""

    def __init__(self, user) -> None:
        self.began: float | None = None
        self.task = asyncio.get_running_loop().create_task(database_sync_to_async(self._read)(user))

    def _read(self, user) -> str:
        self.began = time.monotonic()
        return snapshot_text(user)

    def serves(self, asked_at: float) -> bool:
        """Whether it reads the state at or after ``asked_at`` (one not begun yet will)."""
        return self.began is None or self.began >= asked_at


# Per event loop and user: the newest snapshot reading.
_snapshots: dict[tuple[int, int], _SnapshotBuild] = {}


async def shared_snapshot(user, asked_at: float) -> str:
    """The user's snapshot, read at or after ``asked_at``. Screens that connect together (a wall
    of them after a restart, signed in as one account) share a reading instead of queueing one
    each in the single database thread; a screen never gets a reading that began before it
    asked, so an event it was not yet joined for cannot fall between the snapshot and its feed."""
    key = (id(asyncio.get_running_loop()), user.pk)
    build = _snapshots.get(key)
    if build is None or not build.serves(asked_at):
        build = _snapshots[key] = _SnapshotBuild(user)
    return await asyncio.shield(build.task)


# Per event loop: the event's key → (when, the task building its text).
_memo: dict[tuple[int, str], tuple[float, asyncio.Task]] = {}


async def shared_update(event: dict[str, Any]) -> str:
    """The encoded ``case.event`` message for ``event``, built once in this process."""
    loop = asyncio.get_running_loop()
    now = time.monotonic()
    for key in [key for key, (at, _task) in _memo.items() if now - at > MEMO_SECONDS]:
        del _memo[key]
    key = (id(loop), json.dumps(event, sort_keys=True, default=str))
    entry = _memo.get(key)
    if entry is None:

        async def build() -> str:
            return encode(CASE_EVENT, await database_sync_to_async(event_update)(event))

        entry = (now, loop.create_task(build()))
        _memo[key] = entry
    return await asyncio.shield(entry[1])
