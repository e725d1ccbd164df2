"""The figures of a period per department, officer or township, in one query each.

Everything comes from the timeline (``rounds.PER_ROUND_CTE``); Python only turns the
counts into rates, scores, bands and ranks (``scoring``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from evaluation.choices import Figure
from evaluation.periods import Period
from evaluation.services import scoring
from evaluation.services.rounds import per_round_cte, period_params

FIGURES = [figure.value for figure in Figure]
RATES = ["on_time_rate", "handled_rate", "rework_rate", "satisfaction_rate"]

# The aggregate of ``per_round`` rows grouped by {key}, as the definitions count.
_AGGREGATE = """
WITH {cte}
SELECT {key} AS key,
    COUNT(*) FILTER (WHERE p.is_due) AS due,
    COUNT(*) FILTER (WHERE p.is_due AND p.resolved_at IS NOT NULL) AS handled,
    COUNT(*) FILTER (WHERE p.is_due AND p.resolved_at <= p.deadline) AS on_time,
    COUNT(*) FILTER (WHERE p.is_due AND p.resolved_at > p.deadline) AS late,
    COUNT(*) FILTER (WHERE p.is_due AND p.resolved_at IS NULL) AS overdue_open,
    COALESCE(SUM(p.returned), 0) AS returned,
    COALESCE(SUM(p.shirked), 0) AS shirked,
    COALESCE(SUM(p.rework), 0) AS rework,
    COALESCE(SUM(p.urged), 0) AS urged,
    COALESCE(SUM(p.extended), 0) AS extended,
    COUNT(*) FILTER (WHERE p.held_at_end) AS on_hold,
    COALESCE(SUM(p.rated), 0) AS rated,
    COALESCE(SUM(p.satisfied), 0) AS satisfied,
    COALESCE(SUM(p.basically_satisfied), 0) AS basically_satisfied,
    COALESCE(SUM(p.dissatisfied), 0) AS dissatisfied,
    AVG(p.handling_seconds) AS avg_handling_seconds
FROM per_round p
GROUP BY {key}
"""


# How rounds are grouped into subjects: a column of ``per_round`` (each round knows its
# department, officer and where its case is).
DEPARTMENTS = "p.department_id"
OFFICERS = "p.officer_id"
TOWNSHIPS = "p.township_id"
COMMUNITIES = "p.community_id"
GRIDS = "p.grid_code"


def counts(period: Period, grouping: str) -> dict[object, dict]:
    """``{key: {figure: count, "avg_handling_hours": …}}`` for the subjects with any round."""
    sql = _AGGREGATE.format(cte=per_round_cte(period.start, period.end), key=grouping)
    with connection.cursor() as cursor:
        cursor.execute(sql, period_params(period.start, period.end))
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    found = {}
    for row in rows:
        seconds = row.pop("avg_handling_seconds")
        row = {name: int(value) if name in FIGURES else value for name, value in row.items()}
        row["avg_handling_hours"] = None if seconds is None else round(float(seconds) / 3600, 2)
        found[row.pop("key")] = row
    return found


def empty() -> dict:
    return {**dict.fromkeys(FIGURES, 0), "avg_handling_hours": None}


def scored_rows(
    subjects: Sequence[tuple[object, dict]],
    found: dict[object, dict],
    scheme: scoring.Scheme = scoring.DEFAULT_SCHEME,
) -> list[dict]:
    """One row per subject ``(pk, identity fields)``: figures, rates, score, band and rank."""
    rows = []
    for pk, identity in subjects:
        figures = found.get(pk) or empty()
        rates = scoring.rates(figures)
        value = scoring.score(figures, rates, scheme)
        rows.append({**identity, **figures, **rates, "score": value, "band": scoring.band(value, scheme), "rank": None})
    scoring.rank(rows, key="key")
    return rows
