"""What the pages, the API and the exports read: one period's rows per subject, and the
rounds behind one figure of one subject. The one entry point, so that provisional months
(computed on request) and published ones (frozen) are read alike.

A published month is read from its newest publication (or the ``version`` asked for);
any other month that has begun is computed on request with the current scheme.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.choices import PeriodState
from evaluation.models import FrozenRow, Publication
from evaluation.periods import EARLIEST_YEAR, Period, period_of
from evaluation.services import areas, centre, provisional, schemes, scoring, subjects, workers
from evaluation.services import rounds as rounds_module
from evaluation.services.rounds import per_round_cte, period_params
from gridcenter.errors import DomainValidationError, NotFoundError
from incidents.models import CaseEvent

# Each subject kind: how its rows are computed for a period (a function that takes a
# ``scheme`` argument is given the scheme in force, or the publication's).
SUBJECTS: dict[str, Callable[..., list[dict]]] = {
    "departments": subjects.departments,
    "officers": subjects.officers,
    "townships": subjects.townships,
    "workers": workers.workers,
    "centre": centre.centre,
    "communities": areas.communities,
    "grids": areas.grids,
}

# Subject kinds whose figures have cases, not rounds, behind them: ``(period, key, figure)``
# → the cases (same shape as rounds, NULL where a column does not apply), or ``None`` for a
# figure with nothing behind it.
CASE_LISTINGS: dict[str, Callable[[Period, str, str], list[dict] | None]] = {
    "workers": workers.cases_behind,
    "centre": centre.cases_behind,
}

# The rounds behind each round-based figure: a condition on ``per_round`` (alias ``p``),
# live or frozen; a round an upheld appeal excused from the figure is not behind it.
_FIGURE_CONDITIONS = {
    "due": "p.is_due",
    "handled": "p.is_due AND p.resolved_at IS NOT NULL",
    "on_time": "p.is_due AND p.resolved_at <= p.deadline",
    "late": "p.is_due AND p.resolved_at > p.deadline",
    "overdue_open": "p.is_due AND p.resolved_at IS NULL",
    "returned": "p.returned > 0",
    "shirked": "p.shirked > 0",
    "rework": "p.rework > 0",
    "urged": "p.urged > 0",
    "extended": "p.extended > 0",
    "on_hold": "p.held_at_end",
    "rated": "p.rated > 0",
    "satisfied": "p.satisfied > 0",
    "basically_satisfied": "p.basically_satisfied > 0",
    "dissatisfied": "p.dissatisfied > 0",
}
ROUND_FIGURES = {
    figure: f"({condition}) AND NOT ('{figure}' = ANY(p.excused))" for figure, condition in _FIGURE_CONDITIONS.items()
}

# Which subject a round belongs to, per subject kind: the SQL that names its key in
# ``per_round`` computed from the timeline (and the join it needs), and the column of a
# publication's frozen rounds that holds it (``FrozenRound``).
ROUND_KEYS = {
    "departments": ("d.code", "JOIN departments_department d ON d.id = p.department_id"),
    "officers": ("u.username", "JOIN auth_user u ON u.id = p.officer_id"),
    "townships": ("t.code", "JOIN grids_township t ON t.id = p.township_id"),
    "communities": ("community.code", "JOIN grids_community community ON community.id = p.community_id"),
    "grids": ("p.grid_code", ""),
}
FROZEN_KEYS = {
    "departments": "department",
    "officers": "officer",
    "townships": "township",
    "communities": "community",
    "grids": "grid",
}
FROZEN_ROUNDS_CTE = "per_round AS (SELECT * FROM evaluation_round WHERE publication_id = %(publication)s)"

_ROUNDS = """
WITH {cte}
SELECT p.case_id, p.tracking_no, p.started_at, p.deadline, p.resolved_at
FROM per_round p
{join}
WHERE {key} = %(key)s AND {condition}
ORDER BY p.started_at, p.case_id, p.round_no
"""


def subject_kind(subject: str) -> Callable[..., list[dict]]:
    compute = SUBJECTS.get(subject)
    if compute is None:
        raise NotFoundError(_("No such subject."))
    return compute


def compute(subject: str, period: Period, scheme: scoring.Scheme | None = None) -> list[dict]:
    """The subject's rows of the period computed from the timeline now, with ``scheme`` (default: the current one)."""
    function = subject_kind(subject)
    if "scheme" not in inspect.signature(function).parameters:
        return function(period)
    return function(period, scheme=scheme if scheme is not None else schemes.current())


def publication(period: Period, version: int | None = None) -> Publication | None:
    """The period's newest publication, or its ``version`` (404 if there is no such version)."""
    found = Publication.objects.filter(period=period.key).select_related("scheme")
    if version is None:
        return found.order_by("-version").first()
    chosen = found.filter(version=version).first()
    if chosen is None:
        raise NotFoundError(_("This month has no published version %(version)s.") % {"version": version})
    return chosen


def rows(period: Period, subject: str, version: int | None = None, *, fresh: bool = False) -> list[dict]:
    """The subject's rows of the period, in rank order (unranked ones after, by key). A month
    not published is read from the cache (``provisional``); ``fresh`` recomputes it."""
    subject_kind(subject)
    published = publication(period, version)
    if published is not None and subject in published.subjects:
        frozen = FrozenRow.objects.filter(publication=published, subject=subject).order_by("position")
        found = list(frozen.values_list("data", flat=True))
    elif published is not None:  # a kind added after the month was published: its scheme, not cached
        found = compute(subject, period, scoring.Scheme.from_model(published.scheme))
    else:
        found = _provisional(period, subject, fresh=fresh)["rows"]
    return sorted(found, key=lambda row: (row["rank"] is None, row["rank"] or 0, str(row["key"])))


def _provisional(period: Period, subject: str, *, fresh: bool = False) -> dict:
    scheme = schemes.current()
    if fresh:
        return provisional.store(period, subject, scheme.version, compute(subject, period, scheme), timezone.now())
    return provisional.cached(period, subject, scheme.version, lambda: compute(subject, period, scheme))


def computed_at(period: Period, subject: str) -> datetime | None:
    """When a provisional month's cached rows were computed (``None``: published, or not cached)."""
    if publication(period) is not None:
        return None
    entry = provisional.get(period, subject, schemes.current().version)
    return entry["computed_at"] if entry else None


def refresh_provisional(now: datetime | None = None) -> list[Period]:
    """Recompute into the cache every kind of the month to date, and of the month before
    while it is not published (the first hour of a month): each month's rounds read once."""
    now = now or timezone.now()
    current = period_of(now)
    months = [current] + ([current.previous()] if publication(current.previous()) is None else [])
    for period in months:
        with rounds_module.materialized(period.start, period.end):
            for subject in SUBJECTS:
                _provisional(period, subject, fresh=True)
    return months


def rounds(period: Period, subject: str, key: str, figure: str, version: int | None = None) -> list[dict]:
    """The rounds behind ``figure`` of the subject ``key``: case, tracking number, start, deadline, resolution."""
    subject_kind(subject)
    if subject in CASE_LISTINGS:
        found = CASE_LISTINGS[subject](period, key, figure)
        if found is None:
            raise DomainValidationError.field("figure", _("This figure has no rounds behind it."))
        return found
    condition = ROUND_FIGURES.get(figure)
    if condition is None or subject not in ROUND_KEYS:
        raise DomainValidationError.field("figure", _("This figure has no rounds behind it."))
    cte, key_sql, join, params = round_source(period, subject, publication(period, version))
    sql = _ROUNDS.format(cte=cte, join=join, key=key_sql, condition=condition)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "key": key})
        return [
            {
                "case": case_id,
                "tracking_no": tracking_no,
                "started_at": started,
                "deadline": deadline,
                "resolved_at": resolved,
            }
            for case_id, tracking_no, started, deadline, resolved in cursor.fetchall()
        ]


_COUNTED = """
SELECT p.department, p.round_no FROM evaluation_round p
WHERE p.publication_id = %(publication)s AND p.case_id = %(case)s AND {condition} {round}
ORDER BY p.round_no
"""


def counted_rounds(published: Publication, figure: str, case: int, round_no: int | None = None) -> list[tuple]:
    """The rounds of ``case`` behind ``figure`` in a publication: ``[(department code, round number)]``."""
    condition = ROUND_FIGURES.get(figure)
    if condition is None:
        return []
    sql = _COUNTED.format(condition=condition, round="" if round_no is None else "AND p.round_no = %(round_no)s")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"publication": published.pk, "case": case, "round_no": round_no})
        return cursor.fetchall()


def frozen_rounds(published: Publication | None, subject: str, key: str, figure: str) -> list[tuple]:
    """``[(case id, started at, round number)]`` behind a figure of a subject in a publication."""
    condition = ROUND_FIGURES.get(figure)
    if published is None or condition is None or subject not in FROZEN_KEYS:
        return []
    sql = (
        f"SELECT p.case_id, p.started_at, p.round_no FROM evaluation_round p "  # noqa: S608 - constant SQL
        f"WHERE p.publication_id = %(publication)s AND p.{FROZEN_KEYS[subject]} = %(key)s AND {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"publication": published.pk, "key": key})
        return cursor.fetchall()


def round_source(period: Period, subject: str, published: Publication | None) -> tuple[str, str, str, dict]:
    """Where a subject kind's rounds are read: ``(per_round CTE, key SQL, join, parameters)``,
    from the publication's frozen rounds, else computed from the timeline."""
    if published is not None and subject in published.round_subjects:
        return FROZEN_ROUNDS_CTE, f"p.{FROZEN_KEYS[subject]}", "", {"publication": published.pk}
    key_sql, join = ROUND_KEYS[subject]
    return per_round_cte(period.start, period.end), key_sql, join, period_params(period.start, period.end)


def periods(now: datetime | None = None) -> list[dict]:
    """Every month from the first one with a case event (else the current one) to the current
    one, newest first: ``{"period", "state", "version"}`` (the newest version if published)."""
    last = period_of(now or timezone.now())
    first_event = CaseEvent.objects.aggregate(first=Min("created_at"))["first"]
    first = min(max(period_of(first_event), Period(EARLIEST_YEAR, 1)), last) if first_event else last
    versions = dict(
        Publication.objects.filter(period__gte=first.key, period__lte=last.key)
        .values("period")
        .annotate(newest=Max("version"))
        .values_list("period", "newest")
    )
    found = []
    period = last
    while period >= first:
        version = versions.get(period.key)
        state = PeriodState.PROVISIONAL if version is None else PeriodState.PUBLISHED
        found.append({"period": period.key, "state": state.value, "version": version})
        period = period.previous()
    return found


# Every round behind any figure of a subject kind, with the figures it counts in.
_PERIOD_ROUNDS = """
WITH {cte}
SELECT {key} AS key, p.case_id, p.tracking_no, p.started_at, p.deadline, p.resolved_at, {flags}
FROM per_round p
{join}
WHERE {any}
ORDER BY 1, p.started_at, p.case_id, p.round_no
"""


def period_rounds(period: Period, subject: str, version: int | None = None) -> list[dict]:
    """Every round behind a figure of every subject of the kind, in one query (for exports):
    ``rounds()``'s fields, the subject's ``key`` and the ``figures`` it counts in."""
    subject_kind(subject)
    if subject not in ROUND_KEYS:
        return []
    cte, key_sql, join, params = round_source(period, subject, publication(period, version))
    names = list(ROUND_FIGURES)
    flags = ", ".join(f"COALESCE({ROUND_FIGURES[name]}, FALSE) AS {name}" for name in names)
    any_figure = " OR ".join(f"({condition})" for condition in ROUND_FIGURES.values())
    sql = _PERIOD_ROUNDS.format(cte=cte, key=key_sql, join=join, flags=flags, any=any_figure)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {
                "key": key,
                "case": case_id,
                "tracking_no": tracking_no,
                "started_at": started,
                "deadline": deadline,
                "resolved_at": resolved,
                "figures": [name for name, counted_in in zip(names, counted, strict=True) if counted_in],
            }
            for key, case_id, tracking_no, started, deadline, resolved, *counted in cursor.fetchall()
        ]
