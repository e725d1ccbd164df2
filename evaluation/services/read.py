"""What the pages, the API and the exports read: one period's rows per subject, and the
rounds behind one figure of one subject. The one entry point, so that provisional months
(computed on request) and published ones (frozen) are read alike.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.utils.translation import gettext as _

from evaluation.periods import Period
from evaluation.services import areas, centre, subjects, workers
from evaluation.services.rounds import PER_ROUND_CTE, period_params
from gridcenter.errors import DomainValidationError, NotFoundError

# Each subject kind: how its rows are computed for a period.
SUBJECTS: dict[str, Callable[[Period], list[dict]]] = {
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
    "communities": (
        "community.code",
        "JOIN grids_grid grid ON grid.id = c.grid_id "
        "JOIN grids_community community ON community.id = grid.community_id",
    ),
    "grids": ("grid.code", "JOIN grids_grid grid ON grid.id = c.grid_id"),
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
    if subject in CASE_LISTINGS:
        found = CASE_LISTINGS[subject](period, key, figure)
        if found is None:
            raise DomainValidationError.field("figure", _("This figure has no rounds behind it."))
        return found
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
