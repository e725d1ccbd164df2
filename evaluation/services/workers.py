"""Grid-worker figures (``evaluation.md``, "Grid-worker figures"), one query per group of
figures over the whole period, keyed by username.

Every active grid worker gets a row, and so does an inactive one with a figure in the
period. A period is read as of ``until`` = min(its end, now): the month in progress is
month to date, and nothing after ``until`` is read, so a past month gives the same answer
whenever it is computed. The rules this module adds where ``evaluation.md`` is silent
(the README's "Evaluation" section repeats them):

* **上报 reports**: ``report`` rows in P whose actor is the worker acting as a grid worker.
  Errands (代办: sub-items ``63xx``, by the sub-item as of ``until``: the last one an accept
  or dispatch row recorded, else the one reported) are not reports: they count only in
  ``errands_done``, and neither in self-resolved nor in satisfaction.
* **有效上报 valid**: not rejected (``reject``, or ``merge`` as a duplicate) before ``until``.
  A merged duplicate is valid only if it was reported before the case it was merged into
  and before every other duplicate merged into that case (its reporter was first).
* **自行处置 self-resolved**: ``self_resolve`` rows in P on the worker's reports.
* **核查 verifications**: each resolution (``resolve`` or ``self_resolve`` row) asks the
  grid workers of the case's grid to check the fix on site within
  ``EVALUATION_VERIFY_HOURS`` natural hours (default 24; the platform had no such limit).
  The first ``verify`` row before the case leaves "resolved" answers it. A request counts
  in the period it settles in — at min(answer, limit), like a round's "comes due" — so one
  asked in the last hours of a month and answered in time on the 1st counts in the next
  month, and every request counts in at most one period. It counts for the worker who
  answered it (on time if at or before the limit); unanswered at its limit, for every
  active worker serving the case's grid (grid membership has no history: the current one);
  withdrawn unanswered before its limit (the centre approved or reopened the case) it
  counts for nobody.
* **巡查达标天数 patrol days met**: working days of P (``worktime.calendar``: the calendar
  table, else Monday–Friday) that have ended by ``until``, on which the worker's own
  patrols, in any grid, total at least ``EVALUATION_PATROL_MINUTES`` (120) minutes or
  ``EVALUATION_PATROL_METRES`` (3,000) metres; a patrol counts in a day for its part inside
  it, its distance in proportion. This is one worker's minimum, not the grid coverage rule
  ``DAILY_PATROL_MINUTES`` (30 minutes of anyone's patrols in a grid). ``working_days``
  is the number of those days.
* **民情日志 diary entries**: entries of the worker's diary that occurred in P and were
  entered before ``until`` (entries copied in on the worker's behalf included).
* **代办 errands done**: errand cases the worker reported that were closed (``approve``) in P.
* **满意率**: (满意 + 0.5 × 基本满意) / rated, over the worker's reports (not errands) closed
  in P with a rating.

Score: ``scoring.worker_score`` (40·有效上报率 + 20·巡查达标率 + 20·按时核查率 + 20·满意率, a
rate without data giving its weight to the others); no score only when no rate has data.
Rank by score, ties by 有效上报率, then username; bands as for departments.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from evaluation.periods import Period
from evaluation.services import rounds, scoring, worker_sql
from grids.models import GridWorker
from patrols.choices import ERRAND_MAJOR_CODE
from patrols.models import DiaryEntry
from worktime import calendar

FIGURES = [
    "reports",
    "valid_reports",
    "self_resolved",
    "verifications",
    "verified_on_time",
    "patrol_days_met",
    "working_days",
    "diary_entries",
    "errands_done",
]
RATES = ["valid_rate", "patrol_rate", "verify_rate", "satisfaction_rate"]
# Figures with cases behind them (``cases_behind``).
LISTED = [*worker_sql.CASE_FIGURES, *worker_sql.VERIFICATION_FIGURES]
# A patrol that began up to this long before a day may still count in it.
LONGEST_PATROL = timedelta(days=1)


def _until(period: Period, now: datetime | None) -> datetime:
    return min(period.end, now or timezone.now())


def _params(period: Period, until: datetime) -> dict:
    hours = settings.EVALUATION_VERIFY_HOURS
    return {
        **rounds.timeline_params(period.start, period.end),
        "start": period.start,
        "until": until,
        "tz": settings.TIME_ZONE,
        "errands": ERRAND_MAJOR_CODE + "%",
        "verify_hours": hours,
        "asked_from": period.start - timedelta(hours=hours),
    }


def working_days(period: Period, until: datetime) -> list[date]:
    """The working days of the period that have ended by ``until``."""
    tz = ZoneInfo(settings.TIME_ZONE)
    days = []
    day = period.first_day
    while day < period.next().first_day and datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz) <= until:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _fetch(sql: str, params: dict) -> dict[int, dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [column.name for column in cursor.description]
        return {row[0]: dict(zip(columns[1:], row[1:], strict=True)) for row in cursor.fetchall()}


def counts(period: Period, *, now: datetime | None = None) -> tuple[dict[int, dict], int]:
    """``{user id: {figure: count, rated…}}`` for the workers with any figure, and the working days."""
    until = _until(period, now)
    params = _params(period, until)
    days = working_days(period, until)
    patrol_params = {
        **params,
        "days": days,
        "earliest": period.start - LONGEST_PATROL,
        "min_seconds": settings.EVALUATION_PATROL_MINUTES * 60,
        "min_metres": settings.EVALUATION_PATROL_METRES,
    }
    found: dict[int, dict] = {}
    for part in (
        _fetch(rounds.with_timeline(worker_sql.CASE_COUNTS, period.start, period.end), params),
        _fetch(rounds.with_timeline(worker_sql.VERIFICATION_COUNTS, period.start, period.end), params),
        _fetch(worker_sql.PATROL_DAYS, patrol_params) if days else {},
        _diary_counts(period, until),
    ):
        for worker_id, values in part.items():
            found.setdefault(worker_id, {}).update(values)
    return found, len(days)


def _diary_counts(period: Period, until: datetime) -> dict[int, dict]:
    rows = (
        DiaryEntry.objects.filter(occurred_at__gte=period.start, occurred_at__lt=until, created_at__lt=until)
        .values("worker_id")
        .annotate(diary_entries=Count("id"))
        .values_list("worker_id", "diary_entries")
    )
    return {worker_id: {"diary_entries": total} for worker_id, total in rows}


def _row(identity: dict, found: dict, days: int, scheme: scoring.Scheme) -> dict:
    figures = {name: int(found.get(name) or 0) for name in FIGURES}
    figures["working_days"] = days
    rates = {
        "valid_rate": scoring.ratio(figures["valid_reports"], figures["reports"]),
        "patrol_rate": scoring.ratio(figures["patrol_days_met"], days),
        "verify_rate": scoring.ratio(figures["verified_on_time"], figures["verifications"]),
        "satisfaction_rate": scoring.satisfaction_rate(
            int(found.get("satisfied") or 0), int(found.get("basically_satisfied") or 0), int(found.get("rated") or 0)
        ),
    }
    value = scoring.worker_score(rates, scheme)
    return {**identity, **figures, **rates, "score": value, "band": scoring.band(value, scheme), "rank": None}


def workers(
    period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME, *, now: datetime | None = None
) -> list[dict]:
    """One row per grid worker (active, or with a figure in the period), keyed by username."""
    found, days = counts(period, now=now)
    profiles = GridWorker.objects.select_related("user").filter(user__is_active=True) | GridWorker.objects.filter(
        user_id__in=list(found)
    )
    rows = [
        _row({"key": p.user.username, "name": p.name}, found.get(p.user_id, {}), days, scheme)
        for p in profiles.select_related("user").order_by("user__username")
    ]
    scoring.rank(rows, key="key", tie="valid_rate")
    return rows


def cases_behind(period: Period, username: str, figure: str, *, now: datetime | None = None) -> list[dict] | None:
    """The cases behind one listed figure of one worker (``None`` for a figure without cases)."""
    if figure in worker_sql.CASE_FIGURES:
        sql = worker_sql.CASE_LISTING.format(cte=worker_sql.CASE_MARKS_CTE, condition=worker_sql.CASE_FIGURES[figure])
    elif figure in worker_sql.VERIFICATION_FIGURES:
        sql = worker_sql.VERIFICATION_LISTING.format(
            cte=worker_sql.VERIFICATIONS_CTE, condition=worker_sql.VERIFICATION_FIGURES[figure]
        )
    else:
        return None
    worker = GridWorker.objects.filter(user__username=username).values_list("user_id", flat=True).first()
    if worker is None:
        return []
    params = {**_params(period, _until(period, now)), "worker": worker}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"case": case, "tracking_no": number, "started_at": started, "deadline": deadline, "resolved_at": resolved}
            for case, number, started, deadline, resolved in cursor.fetchall()
        ]
