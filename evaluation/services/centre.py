"""The command centre's own figures (``evaluation.md``, "The centre's own figures"): one row,
keyed ``centre``, from the timeline of the period in one query.

The centre's stage limits are the existing settings ``CENTRE_ACCEPT_LIMIT_MINUTES`` and
``CENTRE_REVIEW_LIMIT_MINUTES`` (working minutes). The step that ends a stage keeps on its
timeline row how long the stage took and whether that was late, as it was then
(``incidents.services.stage_limits``); these figures read that record and recompute
nothing, so a later change of a limit does not rewrite a past month. The rules this module
adds where ``evaluation.md`` is silent:

* The period is read as of ``until`` = min(its end, now), like every subject.
* **受理 accepted**: ``accept`` rows in P (a dispatch straight from "reported" writes one too);
  **按时受理** those whose row is not marked late. A row without the record (written before
  the stage limits existed) is not held against the centre: it counts as on time.
* **派遣 dispatched**: ``dispatch`` rows in P (first dispatches and redispatches alike).
* **错派 misdispatched**: ``return`` rows in P after which the centre's next dispatch of that
  case, before ``until``, went to another department than the one that returned it (the
  mirror of a department's 推诿). A case returned and then rejected, or not yet dispatched
  again, is not counted.
* **准确派遣率** = 1 − 错派 / 派遣 (``None`` with no dispatch in P).
* **核查 reviewed**: ``approve`` and ``reopen`` rows in P (the review of a resolved case);
  **按时核查** those not marked late.
* The centre has no score, band or rank (the definitions give it none): those keys are null.
* The cases behind each figure: ``started_at`` is when the stage began (the report for an
  acceptance, the dispatch itself, the wrong dispatch for a misdispatch, the resolution for
  a review), ``deadline`` the dispatch's deadline, ``resolved_at`` when the centre's step
  ended the stage (acceptance, review).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.periods import Period
from evaluation.services import rounds, scoring

KEY = "centre"
FIGURES = [
    "accepted",
    "accepted_on_time",
    "dispatched",
    "misdispatched",
    "dispatch_accuracy",
    "reviewed",
    "reviewed_on_time",
]

# The timeline row of the dispatch that followed the step ``s`` (a return) before ``until``.
_NEXT_DISPATCH = """SELECT x.data FROM incidents_caseevent x
        WHERE x.case_id = s.case_id AND x.action = 'dispatch' AND x.created_at < %(until)s
          AND (x.created_at, x.id) > (s.created_at, s.id)
        ORDER BY x.created_at, x.id LIMIT 1"""

# The centre's steps of the period, whether each was in time, and whether a return was a
# misdispatch (the next dispatch went elsewhere).
_STEPS_CTE = f"""
{rounds.TIMELINE_CTE},
steps AS (
    SELECT e.id, e.case_id, e.action, e.created_at, e.data
    FROM period_timeline e
    WHERE e.created_at >= %(start)s AND e.created_at < %(until)s
      AND (e.action IN ('accept', 'dispatch', 'return')
           OR (e.action IN ('approve', 'reopen') AND e.from_status = 'resolved'))
)"""  # noqa: S608 - constant SQL
_IN_TIME = "NOT COALESCE((s.data->>'late')::boolean, false)"
_MISDISPATCH = "COALESCE({next_dispatch}->>'department' <> s.data->>'department', false)"

# What the counts read: each step, its next dispatch looked up for returns only.
_COUNTED_CTE = f"""
{_STEPS_CTE},
centre AS (
    SELECT s.action, {_IN_TIME} AS in_time,
        CASE WHEN s.action = 'return' THEN {_MISDISPATCH.format(next_dispatch=f"({_NEXT_DISPATCH})")}
             ELSE false END AS misdispatch
    FROM steps s
)"""  # noqa: S608 - constant SQL

# What the listings read: each step with when its stage began, its deadline and its end.
_CENTRE_CTE = f"""
{_STEPS_CTE},
centre AS (
    SELECT s.id, s.case_id, s.action, s.created_at,
        {_IN_TIME} AS in_time,
        {_MISDISPATCH.format(next_dispatch="nx.data")} AS misdispatch,
        CASE s.action WHEN 'accept' THEN c.created_at WHEN 'dispatch' THEN s.created_at
            WHEN 'return' THEN wrong.created_at ELSE review.created_at END AS started_at,
        CASE s.action WHEN 'dispatch' THEN (s.data->>'deadline')::timestamptz
            WHEN 'return' THEN (wrong.data->>'deadline')::timestamptz END AS deadline,
        CASE WHEN s.action IN ('accept', 'approve', 'reopen') THEN s.created_at END AS resolved_at
    FROM steps s
    JOIN incidents_case c ON c.id = s.case_id
    LEFT JOIN LATERAL (SELECT ({_NEXT_DISPATCH}) AS data WHERE s.action = 'return') nx ON true
    LEFT JOIN LATERAL (
        SELECT x.created_at, x.data FROM incidents_caseevent x
        WHERE s.action = 'return' AND x.case_id = s.case_id AND x.action = 'dispatch'
          AND (x.created_at, x.id) < (s.created_at, s.id)
        ORDER BY x.created_at DESC, x.id DESC LIMIT 1
    ) wrong ON true
    LEFT JOIN LATERAL (
        SELECT x.created_at FROM incidents_caseevent x
        WHERE s.action IN ('approve', 'reopen') AND x.case_id = s.case_id
          AND x.action IN ('resolve', 'self_resolve') AND (x.created_at, x.id) < (s.created_at, s.id)
        ORDER BY x.created_at DESC, x.id DESC LIMIT 1
    ) review ON true
)
"""  # noqa: S608 - constant SQL

# Each counted figure: a condition on ``centre`` (alias ``k``).
CONDITIONS = {
    "accepted": "k.action = 'accept'",
    "accepted_on_time": "k.action = 'accept' AND k.in_time",
    "dispatched": "k.action = 'dispatch'",
    "misdispatched": "k.action = 'return' AND k.misdispatch",
    "reviewed": "k.action IN ('approve', 'reopen')",
    "reviewed_on_time": "k.action IN ('approve', 'reopen') AND k.in_time",
}

_COUNTS = """
WITH {cte}
SELECT COUNT(*) FILTER (WHERE {accepted}) AS accepted,
    COUNT(*) FILTER (WHERE {accepted_on_time}) AS accepted_on_time,
    COUNT(*) FILTER (WHERE {dispatched}) AS dispatched,
    COUNT(*) FILTER (WHERE {misdispatched}) AS misdispatched,
    COUNT(*) FILTER (WHERE {reviewed}) AS reviewed,
    COUNT(*) FILTER (WHERE {reviewed_on_time}) AS reviewed_on_time
FROM centre k
""".format(cte=_COUNTED_CTE, **CONDITIONS)

_LISTING = """
WITH {cte}
SELECT k.case_id, c.tracking_no, k.started_at, k.deadline, k.resolved_at
FROM centre k
JOIN incidents_case c ON c.id = k.case_id
WHERE {condition}
ORDER BY k.created_at, k.id
"""


def _params(period: Period, now: datetime | None) -> dict:
    return {
        **rounds.timeline_params(period.start, period.end),
        "start": period.start,
        "until": min(period.end, now or timezone.now()),
    }


def counts(period: Period, *, now: datetime | None = None) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(rounds.with_timeline(_COUNTS, period.start, period.end), _params(period, now))
        columns = [column.name for column in cursor.description]
        return dict(zip(columns, (int(value) for value in cursor.fetchone()), strict=True))


def centre(
    period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME, *, now: datetime | None = None
) -> list[dict]:
    """The centre's one row of the period (``scheme`` is unused: the centre is not scored)."""
    found = counts(period, now=now)
    misdispatch_rate = scoring.ratio(found["misdispatched"], found["dispatched"])
    figures = {
        **found,
        "dispatch_accuracy": None if misdispatch_rate is None else 1 - misdispatch_rate,
    }
    return [
        {
            "key": KEY,
            "name": _("Command centre"),
            **{name: figures[name] for name in FIGURES},
            "score": None,
            "band": None,
            "rank": None,
        }
    ]


def cases_behind(period: Period, key: str, figure: str, *, now: datetime | None = None) -> list[dict] | None:
    """The cases behind one counted figure of the centre (``None`` for a figure without cases)."""
    condition = CONDITIONS.get(figure)
    if condition is None:
        return None
    if key != KEY:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_LISTING.format(cte=_CENTRE_CTE, condition=condition), _params(period, now))
        return [
            {"case": case, "tracking_no": number, "started_at": started, "deadline": deadline, "resolved_at": resolved}
            for case, number, started, deadline, resolved in cursor.fetchall()
        ]
