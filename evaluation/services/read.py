"""What the pages, the API and the exports read: one period's rows per subject, and the
rounds behind one figure of one subject. The one entry point, so that provisional months
(computed on request) and published ones (frozen) are read alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import connection
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.periods import EARLIEST_YEAR, Period, period_of
from evaluation.services import subjects
from evaluation.services.rounds import PER_ROUND_CTE, period_params
from gridcenter.errors import DomainValidationError, NotFoundError
from incidents.choices import CaseAction
from incidents.models import CaseEvent

# Each subject kind: how its rows are computed for a period.
SUBJECTS: dict[str, Callable[[Period], list[dict]]] = {
    "departments": subjects.departments,
    "officers": subjects.officers,
    "townships": subjects.townships,
}

# The rounds behind each round-based figure: a condition on ``per_round`` (alias ``p``).
ROUND_FIGURES = {
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

# Which subject a round belongs to: the SQL that names its key, per subject kind.
ROUND_KEYS = {
    "departments": ("d.code", "JOIN departments_department d ON d.id = p.department_id"),
    "officers": ("u.username", "JOIN auth_user u ON u.id = p.officer_id"),
    "townships": (
        "t.code",
        "JOIN grids_grid grid ON grid.id = c.grid_id "
        "JOIN grids_community community ON community.id = grid.community_id "
        "JOIN grids_township t ON t.id = community.township_id",
    ),
}

_ROUNDS = """
WITH {cte}
SELECT p.case_id, c.tracking_no, p.started_at, p.deadline, p.resolved_at
FROM per_round p
JOIN incidents_case c ON c.id = p.case_id
{join}
WHERE {key} = %(key)s AND {condition}
ORDER BY p.started_at, p.case_id
"""


def subject_kind(subject: str) -> Callable[[Period], list[dict]]:
    compute = SUBJECTS.get(subject)
    if compute is None:
        raise NotFoundError(_("No such subject."))
    return compute


def rows(period: Period, subject: str) -> list[dict]:
    """The subject's rows of the period, in rank order (unranked ones after, by key)."""
    found = subject_kind(subject)(period)
    return sorted(found, key=lambda row: (row["rank"] is None, row["rank"] or 0, str(row["key"])))


def rounds(period: Period, subject: str, key: str, figure: str) -> list[dict]:
    """The rounds behind ``figure`` of the subject ``key``: case, tracking number, start, deadline, resolution."""
    subject_kind(subject)
    condition = ROUND_FIGURES.get(figure)
    if condition is None or subject not in ROUND_KEYS:
        raise DomainValidationError.field("figure", _("This figure has no rounds behind it."))
    key_sql, join = ROUND_KEYS[subject]
    sql = _ROUNDS.format(cte=PER_ROUND_CTE, join=join, key=key_sql, condition=condition)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**period_params(period.start, period.end), "key": key})
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


def periods(now: datetime | None = None) -> list[dict]:
    """The months there is something to read, newest first: ``{"period", "state", "version"}``.

    Every month from the first dispatch to the current one. Until months are published they
    are all provisional, with no version (``None``).
    """
    current = period_of(now or timezone.now())
    first = CaseEvent.objects.filter(action=CaseAction.DISPATCH).aggregate(first=Min("created_at"))["first"]
    month = max(period_of(first), Period(EARLIEST_YEAR, 1)) if first else current
    found = []
    while month <= current:
        found.append({"period": month.key, "state": "provisional", "version": None})
        month = month.next()
    return found[::-1]


# Every round behind any figure of a subject kind, with the figures it counts in.
_PERIOD_ROUNDS = """
WITH {cte}
SELECT {key} AS key, p.case_id, c.tracking_no, p.started_at, p.deadline, p.resolved_at, {flags}
FROM per_round p
JOIN incidents_case c ON c.id = p.case_id
{join}
WHERE {any}
ORDER BY 1, p.started_at, p.case_id
"""


def period_rounds(period: Period, subject: str) -> list[dict]:
    """Every round behind a figure of every subject of the kind, in one query (for exports):
    ``rounds()``'s fields, the subject's ``key`` and the ``figures`` it counts in."""
    subject_kind(subject)
    if subject not in ROUND_KEYS:
        return []
    key_sql, join = ROUND_KEYS[subject]
    names = list(ROUND_FIGURES)
    flags = ", ".join(f"COALESCE({ROUND_FIGURES[name]}, FALSE) AS {name}" for name in names)
    any_figure = " OR ".join(f"({condition})" for condition in ROUND_FIGURES.values())
    sql = _PERIOD_ROUNDS.format(cte=PER_ROUND_CTE, key=key_sql, join=join, flags=flags, any=any_figure)
    with connection.cursor() as cursor:
        cursor.execute(sql, period_params(period.start, period.end))
        return [
            {
                "key": key,
                "case": case_id,
                "tracking_no": tracking_no,
                "started_at": started,
                "deadline": deadline,
                "resolved_at": resolved,
                "figures": [name for name, counted in zip(names, counted_in, strict=True) if counted],
            }
            for key, case_id, tracking_no, started, deadline, resolved, *counted_in in cursor.fetchall()
        ]
