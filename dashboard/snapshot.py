"""The wall screen's snapshot: everything the screen draws, from the maintained counts.

Built for a user who may watch the wall screen. Its cost does not grow with the number of
cases: the figures and chart series come from the rollups (dashboard.rollups), the
overdue cases from the partial index on deadlines, the markers and lists from indexed
"newest first" queries with a limit. A fixed number of queries (see the query-count
test), whatever the size of the city's history.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any, cast

from django.db.models import F, FloatField, Func
from django.utils import timezone

from accounts.roles import CENTRE_ROLES, WALL_SCREEN_ROLES, has_role
from dashboard.ranking import ranking
from dashboard.rollups import Window, days_back, fold, read_window
from dashboard.sla import in_warning, overdue_cases
from grids.models import Grid, Township
from incidents.choices import CaseAction, CaseStatus, SlaLevel, figures_from_counts
from incidents.models import Case, CaseEvent, SubCategory
from patrols.services.live import on_patrol_now

DAYS = 30  # the charts' period
MARKER_LIMIT = 3000  # live case markers on the map, newest first
LIST_LIMIT = 20  # overdue and urged cases listed
TICKER_LIMIT = 20  # latest events
TOP_SUBITEMS = 10
URGE_SCAN = 200  # latest urge steps scanned for the urged list

# The wall screen shows city-wide counts: only roles that see every case may watch it.
assert WALL_SCREEN_ROLES <= CENTRE_ROLES, "wall-screen roles must see every case"


def may_watch(user) -> bool:
    """Whether ``user`` may open the wall screen and its live feed."""
    return has_role(user, *WALL_SCREEN_ROLES)


class ST_X(Func):  # noqa: N801 - the PostGIS name
    function = "ST_X"
    output_field = FloatField()


class ST_Y(Func):  # noqa: N801
    function = "ST_Y"
    output_field = FloatField()


def _coordinate(value: float) -> float:
    return round(value, 5)


def today_figures(today: date, created: dict[date, int], actions: dict[date, dict[str, int]], overdue: int):
    return {
        "reported": created.get(today, 0),
        "dispatched": actions.get(today, {}).get(CaseAction.DISPATCH, 0),
        "closed": actions.get(today, {}).get(CaseAction.APPROVE, 0),
        "overdue": overdue,
    }


def _daily(days: list[date], window: Window) -> dict[str, list]:
    return {
        "days": [day.isoformat() for day in days],
        "reported": [window.created_per_day.get(day, 0) for day in days],
        "dispatched": [window.actions_per_day.get(day, {}).get(CaseAction.DISPATCH, 0) for day in days],
        "closed": [window.actions_per_day.get(day, {}).get(CaseAction.APPROVE, 0) for day in days],
    }


def _taxonomy(window: Window) -> tuple[list[dict], list[dict]]:
    subs = SubCategory.objects.filter(pk__in=list(window.per_subitem)).values_list(
        "pk", "code", "name", "major__domain"
    )
    domains: dict[str, int] = defaultdict(int)
    items: list[dict[str, Any]] = []
    for pk, code, name, domain in subs:
        value = window.per_subitem[pk]
        domains[domain] += value
        items.append({"code": code, "name": name, "value": value})
    items.sort(key=lambda item: (-item["value"], item["code"]))
    ranked = sorted(domains.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"name": name, "value": value} for name, value in ranked], items[:TOP_SUBITEMS]


def _townships(open_per_grid: dict[int, int], overdue_per_township: dict[int, int]) -> list[dict]:
    township_of = dict(Grid.objects.filter(pk__in=list(open_per_grid)).values_list("pk", "community__township_id"))
    open_per_township: dict[int, int] = defaultdict(int)
    for grid_id, count in open_per_grid.items():
        if grid_id in township_of:
            open_per_township[township_of[grid_id]] += count
    rows: list[dict[str, Any]] = [
        {
            "id": pk,
            "code": code,
            "name": name,
            "open": open_per_township.get(pk, 0),
            "overdue": overdue_per_township.get(pk, 0),
        }
        for pk, code, name in Township.objects.order_by("code").values_list("pk", "code", "name")
    ]
    rows.sort(key=lambda r: (-r["open"], -r["overdue"], r["code"]))
    return rows


def _case_rows(user, ids: list[int]) -> dict[int, dict]:
    """Listing facts of the given cases that ``user`` may see, by id."""
    rows = (
        Case.objects.visible_to(user)
        .filter(pk__in=ids)
        .values(
            "id",
            "tracking_no",
            "status",
            "deadline",
            "urge_count",
            subitem=F("subcategory__name"),
            department=F("lead_department__name"),
            township=F("grid__community__township__name"),
        )
    )
    return {row["id"]: row for row in rows}


def _overdue_list(overdue: list[tuple], rows: dict[int, dict], now: datetime) -> list[dict]:
    listed = []
    for pk, *_rest in sorted(overdue, key=lambda row: (row[4], row[0])):
        if pk in rows:
            row = dict(rows[pk])
            row["late_minutes"] = int((now - row["deadline"]).total_seconds() // 60)
            listed.append(row)
        if len(listed) == LIST_LIMIT:
            break
    return listed


def _latest_urges() -> dict[int, datetime]:
    """The cases urged lately (case id → last urged), newest first."""
    latest: dict[int, datetime] = {}
    steps = CaseEvent.objects.filter(action=CaseAction.URGE).order_by("-created_at", "-id")
    for case_id, at in steps.values_list("case_id", "created_at")[:URGE_SCAN]:
        latest.setdefault(case_id, at)
    return latest


def _urged_list(latest: dict[int, datetime], rows: dict[int, dict]) -> list[dict]:
    listed = []
    for case_id, at in latest.items():
        row = rows.get(case_id)
        if row is not None and row["status"] in CaseStatus.ACTIVE:
            listed.append({**row, "urged_at": at})
        if len(listed) == LIST_LIMIT:
            break
    return listed


def _latest_steps(limit: int = TICKER_LIMIT) -> list[dict]:
    # values() rows are plain dicts (the stubs type them as TypedDicts).
    return cast(
        list[dict],
        list(
            CaseEvent.objects.order_by("-created_at", "-id").values(
                "case_id", "action", "from_status", "to_status", "created_at"
            )[:limit]
        ),
    )


def _ticker(steps: list[dict], rows: dict[int, dict]) -> list[dict]:
    """The latest timeline steps, newest first, of the cases in ``rows`` (those the user sees)."""
    return [
        {
            "case": step["case_id"],
            "tracking_no": rows[step["case_id"]]["tracking_no"],
            "action": step["action"],
            "from_status": step["from_status"],
            "status": step["to_status"],
            "at": step["created_at"],
            "subitem": rows[step["case_id"]]["subitem"],
            "township": rows[step["case_id"]]["township"],
        }
        for step in steps
        if step["case_id"] in rows
    ]


def _flag(overdue: bool, warning: bool) -> str | None:
    if overdue:
        return SlaLevel.OVERDUE
    return SlaLevel.WARNING if warning else None


def _markers(user, overdue_ids: set[int], now: datetime) -> tuple[list[list], bool]:
    rows = list(
        Case.objects.visible_to(user)
        .filter(status__in=CaseStatus.ACTIVE)
        .order_by("-created_at", "-id")
        .annotate(lat=ST_Y("location"), lng=ST_X("location"), warning=in_warning(now))
        .values_list("id", "lat", "lng", "status", "warning")[: MARKER_LIMIT + 1]
    )
    markers = [
        [pk, _coordinate(lat), _coordinate(lng), status, _flag(pk in overdue_ids, warning)]
        for pk, lat, lng, status, warning in rows[:MARKER_LIMIT]
    ]
    return markers, len(rows) > MARKER_LIMIT


def build_snapshot(user, now: datetime | None = None) -> dict[str, Any]:
    """Everything the wall screen draws, for a user who may watch it (``may_watch``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = days_back(today, DAYS)
    fold()
    window = read_window(days[0])
    # (id, grid, township, lead department, deadline) of every overdue case: the open ones only.
    overdue = list(
        overdue_cases(now)
        .order_by()
        .values_list("id", "grid_id", "grid__community__township_id", "lead_department_id", "deadline")
    )
    overdue_per_grid: dict[int, int] = defaultdict(int)
    overdue_per_township: dict[int, int] = defaultdict(int)
    for _pk, grid_id, township_id, _department_id, _deadline in overdue:
        overdue_per_grid[grid_id] += 1
        overdue_per_township[township_id] += 1
    domains, subitems = _taxonomy(window)
    # One query for the listing facts of every case the lists name (visibility checked).
    urges = _latest_urges()
    steps = _latest_steps()
    most_late = [row[0] for row in sorted(overdue, key=lambda row: (row[4], row[0]))[:LIST_LIMIT]]
    rows = _case_rows(user, [*most_late, *urges, *(step["case_id"] for step in steps)])
    markers, truncated = _markers(user, {row[0] for row in overdue}, now)
    grids = {
        str(pk): [window.open_per_grid.get(pk, 0), overdue_per_grid.get(pk, 0)]
        for pk in set(window.open_per_grid) | set(overdue_per_grid)
    }
    return {
        "at": now,
        "figures": figures_from_counts(window.statuses),
        "today": today_figures(today, window.created_per_day, window.actions_per_day, len(overdue)),
        "daily": _daily(days, window),
        "domains": domains,
        "subitems": subitems,
        "sources": [
            {"code": code, "value": value}
            for code, value in sorted(window.per_source.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        "departments": ranking(now)["departments"],
        "townships": _townships(window.open_per_grid, overdue_per_township),
        "grids": grids,
        "markers": markers,
        "markers_truncated": truncated,
        "overdue_cases": _overdue_list(overdue, rows, now),
        "urged_cases": _urged_list(urges, rows),
        "ticker": _ticker(steps, rows),
        "patrols": on_patrol_now(),
    }
