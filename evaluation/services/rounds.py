"""Handling rounds (承办轮次), built from the immutable timeline in SQL.

``../shared/domain/evaluation.md`` defines them; these are the rules this module adds
where that text is silent (the README's "Evaluation" section repeats them):

* A round starts with each ``dispatch`` row (its department: the row's ``department``
  code) and each ``reopen`` row (the lead department, again). It ends with the first
  ``resolve``, ``return``, ``merge`` or ``reject`` after it, or with the next start.
* Its deadline is the start's, moved by each ``ext_approve`` and ``resume`` row of the
  round that was granted before the deadline it moves had passed (a resume counts from
  when its hold began): more time asked for after a round came due does not un-make it,
  nor does any later grant (once one comes too late, the round has come due for good).
* It **comes due** at ``min(resolved, deadline)``; a round that ended otherwise (returned,
  redispatched, merged) comes due only if its deadline passed while the department held it.
  A round that starts after its deadline (a rework reopened once the original deadline had
  passed) comes due when it starts: its deadline falls in a period in which it did not yet
  exist, and it must still count once.
* A hold granted before the deadline **parks** the round: while parked it has not come due
  (so it is left out of ``due`` at the end of a period: "less those on hold"); a resume
  moves its deadline on; resolved while parked (no resume first), it comes due at its
  resolution, on time (its clock was stopped: its deadline is taken as the resolution);
  returned or merged while parked, it never comes due. A hold granted after the round came
  due does not un-make that either: the round counts in the period its deadline fell in,
  on hold or not (it is 挂账 all the same while the hold lasts).
* Its officer is the one who resolved it, else the one last assigned (dispatch or
  assign), else the one who took it up (start).
* For a period ``[start, end)``, only the timeline before ``end`` is read, so a past month
  gives the same answer whenever it is computed; a round's due instant never moves once
  reached, so every round counts in exactly one period.
* The period's steps on a round (returns, urges while it is open, extensions, the rating
  at closing) count in the period they were taken in; a reopen counts as rework of the
  round it reopens; a return is shirked (推诿) when the centre's next dispatch before the
  end of the period sent the case to the same department.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction

from gridcenter.env import parse_office_hours

T = TypeVar("T")

# The period's own timeline rows, from ``EVALUATION_VERIFY_HOURS`` before its start (a
# verification asked then may still settle in it) to its end: every reader of the period
# (the rounds' scope, the workers', the centre's and the areas' figures) reads them through
# this CTE, inside ``materialized`` from a temporary table written once, else from the timeline.
TIMELINE_COLUMNS = "id, case_id, action, created_at, actor_id, actor_role, from_status, to_status, data"
TIMELINE_CTE = f"""period_timeline AS (
    SELECT {TIMELINE_COLUMNS} FROM incidents_caseevent
    WHERE created_at >= %(timeline_from)s AND created_at < %(timeline_end)s
)"""  # noqa: S608 - constant SQL

# The rounds of the cases that matter to a period, as of its ``end``, in linear passes
# (window functions and one GROUP BY: no join of a CTE with itself, whose row estimates
# would send the planner into nested loops). The cases: those with a step at or after
# ``start``, and those a department holds now; a case with neither is as it was at
# ``start`` (no round of it open then, none comes due later), so nothing is missed.
ROUNDS_CTE = f"""
{TIMELINE_CTE},
scope AS MATERIALIZED (
    SELECT case_id FROM period_timeline WHERE created_at >= %(start)s
    UNION
    SELECT case_id FROM incidents_caseevent WHERE created_at >= %(end)s
    UNION
    SELECT id FROM incidents_case WHERE status IN ('dispatched', 'in_progress')
),
numbered AS (
    SELECT e.*,
           SUM(CASE WHEN e.action IN ('dispatch', 'reopen') THEN 1 ELSE 0 END)
               OVER (PARTITION BY e.case_id ORDER BY e.created_at, e.id) AS round_no
    FROM scope
    -- each case's rows through its index: a join would have the planner read the whole
    -- timeline (a month's scope is a tenth of the cases, their rows a tenth of the timeline);
    -- only the fields the rounds need leave it (the whole ``data`` is costly to sort)
    CROSS JOIN LATERAL (
        SELECT x.id, x.case_id, x.action, x.created_at, x.actor_id,
            COALESCE(x.department_id, (
                SELECT d.id FROM departments_department d
                WHERE x.action = 'dispatch' AND d.code = x.data->>'department')) AS department_id,
            CASE WHEN x.action IN ('dispatch', 'reopen', 'ext_approve', 'resume')
                 THEN (x.data->>'deadline')::timestamptz END AS new_deadline,
            COALESCE((x.data->>'held_since')::timestamptz, x.created_at) AS granted_at,
            CASE WHEN x.action IN ('dispatch', 'assign') THEN (x.data->>'officer')::bigint END AS officer_id,
            CASE WHEN x.action = 'approve' THEN x.data->>'satisfaction' END AS satisfaction
        FROM incidents_caseevent x
        WHERE x.case_id = scope.case_id AND x.created_at < %(end)s
          AND x.action IN ('dispatch', 'reopen', 'resolve', 'return', 'merge', 'reject', 'ext_approve',
                           'hold_approve', 'resume', 'assign', 'start', 'urge', 'approve')
        OFFSET 0  -- kept a subquery (not pulled up into a join)
    ) e
),
ev AS (
    SELECT n.*,
        (n.new_deadline IS NOT NULL) AS sets_deadline,
        -- the deadline in force before this row: the last one set earlier in the round
        (ARRAY_AGG(n.new_deadline) FILTER (WHERE n.new_deadline IS NOT NULL)
            OVER (PARTITION BY n.case_id, n.round_no ORDER BY n.created_at, n.id
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS earlier_deadlines,
        -- whether the round had ended before this row (an urge after it is not on an open round)
        COALESCE(BOOL_OR(n.action IN ('resolve', 'return', 'merge', 'reject')) OVER (
            PARTITION BY n.case_id, n.round_no ORDER BY n.created_at, n.id
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS after_end
    FROM numbered n
    WHERE n.round_no > 0
),
chained AS (
    -- once one grant came after the deadline it would move, later ones move it no more
    SELECT ev.*,
        BOOL_AND(NOT sets_deadline OR COALESCE(CARDINALITY(earlier_deadlines), 0) = 0
                 OR granted_at <= earlier_deadlines[CARDINALITY(earlier_deadlines)])
            OVER (PARTITION BY case_id, round_no ORDER BY created_at, id) AS unbroken
    FROM ev
),
firsts AS (
    -- the round's first or last value of a kind, in the round's order, on each of its rows: a
    -- window reads the rows in that order (ordered aggregates would sort each round again);
    -- the same window call twice is computed once
    SELECT chained.*,
        (ARRAY_AGG(department_id) FILTER (WHERE action IN ('dispatch', 'reopen')) OVER whole)[1]
            AS first_department_id,
        (ARRAY_AGG(new_deadline) FILTER (WHERE sets_deadline AND unbroken) OVER whole)
            [CARDINALITY(ARRAY_AGG(new_deadline) FILTER (WHERE sets_deadline AND unbroken) OVER whole)]
            AS last_deadline,
        (ARRAY_AGG(action) FILTER (WHERE action IN ('resolve', 'return', 'merge', 'reject')) OVER whole)[1]
            AS first_end_action,
        (ARRAY_AGG(actor_id) FILTER (WHERE action = 'resolve') OVER whole)[1] AS first_resolver_id,
        (ARRAY_AGG(officer_id) FILTER (WHERE officer_id IS NOT NULL) OVER whole)
            [CARDINALITY(ARRAY_AGG(officer_id) FILTER (WHERE officer_id IS NOT NULL) OVER whole)]
            AS last_officer_id,
        (ARRAY_AGG(actor_id) FILTER (WHERE action = 'start') OVER whole)[1] AS first_starter_id
    FROM chained
    WINDOW whole AS (PARTITION BY case_id, round_no ORDER BY created_at, id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
grouped AS (
    SELECT case_id, round_no,
        MIN(created_at) FILTER (WHERE action IN ('dispatch', 'reopen')) AS started_at,
        MIN(first_department_id) AS department_id,
        MIN(last_deadline) AS deadline,
        MIN(created_at) FILTER (WHERE action IN ('resolve', 'return', 'merge', 'reject')) AS ended_at,
        MIN(first_end_action) AS end_action,
        MIN(first_resolver_id) AS resolver_id,
        MIN(last_officer_id) AS assigned_id,
        MIN(first_starter_id) AS starter_id,
        MAX(created_at) FILTER (WHERE action = 'hold_approve') AS held_at,
        MAX(created_at) FILTER (WHERE action = 'resume') AS resumed_at,
        -- the period's steps on the round
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND action = 'return') AS returned,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND action = 'reopen') AS reopened,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND action = 'urge' AND NOT after_end) AS urged,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND action = 'ext_approve') AS extended,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND satisfaction IS NOT NULL) AS rated,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND satisfaction = 'satisfied') AS satisfied,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND satisfaction = 'basically_satisfied') AS basically_satisfied,
        COUNT(*) FILTER (WHERE created_at >= %(start)s AND satisfaction = 'dissatisfied') AS dissatisfied
    FROM firsts
    GROUP BY case_id, round_no
),
held AS (
    SELECT g.*,
        (g.held_at IS NOT NULL AND (g.resumed_at IS NULL OR g.resumed_at < g.held_at)) AS on_hold,
        (g.held_at IS NOT NULL AND (g.resumed_at IS NULL OR g.resumed_at < g.held_at)
            AND g.held_at < g.deadline) AS parked
    FROM grouped g
),
rounds AS (
    SELECT h.case_id, h.round_no, h.department_id, h.started_at,
        CASE WHEN h.parked AND h.end_action = 'resolve' THEN GREATEST(h.deadline, h.ended_at)
             ELSE h.deadline END AS deadline,
        h.ended_at, h.end_action,
        h.returned, h.urged, h.extended, h.rated, h.satisfied, h.basically_satisfied, h.dissatisfied,
        CASE WHEN h.end_action = 'resolve' THEN h.ended_at END AS resolved_at,
        COALESCE(h.resolver_id, h.assigned_id, h.starter_id) AS officer_id,
        CASE
            WHEN h.parked THEN CASE WHEN h.end_action = 'resolve' THEN h.ended_at END
            WHEN h.end_action = 'resolve' THEN GREATEST(h.started_at, LEAST(h.ended_at, h.deadline))
            WHEN h.ended_at IS NULL OR h.deadline < h.ended_at THEN GREATEST(h.started_at, h.deadline)
        END AS due_at,
        (h.on_hold AND h.ended_at IS NULL) AS held_at_end,
        -- the next round of the case: who it went to, and whether it is a rework of this one
        LEAD(h.department_id) OVER next_round AS next_department_id,
        COALESCE(LEAD(h.reopened) OVER next_round, 0) AS rework
    FROM held h
    WINDOW next_round AS (PARTITION BY h.case_id ORDER BY h.round_no)
)
"""  # noqa: S608 - constant SQL


def period_params(start: datetime, end: datetime) -> dict:
    """The query parameters of a period: its bounds, its timeline's, the time zone and the office hours."""
    periods = parse_office_hours(settings.OFFICE_HOURS)
    return {
        **timeline_params(start, end),
        "start": start,
        "end": end,
        "tz": settings.TIME_ZONE,
        "office_starts": [f"{a:%H:%M}" for a, _b in periods],
        "office_ends": [f"{b:%H:%M}" for _a, b in periods],
    }


# The working clock (the rule of ``worktime.calendar.working_time_between``, on the
# official calendar): each day from the earliest round's start to the period's end, with
# the working seconds before it (a running sum), so the working time between two instants
# is the difference of their ``WORK_AT`` readings: two lookups a round, not a walk over its days.
WORK_DAYS_CTE = """
office AS (
    SELECT o.opens, o.closes FROM unnest(%(office_starts)s::interval[], %(office_ends)s::interval[]) AS o(opens, closes)
),
work_days AS (
    SELECT d.day, d.working,
        COALESCE(SUM(CASE WHEN d.working THEN (SELECT SUM(EXTRACT(EPOCH FROM o.closes - o.opens)) FROM office o) END)
            OVER (ORDER BY d.day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
    FROM (
        SELECT g.day::date AS day, COALESCE(c.is_working_day, EXTRACT(ISODOW FROM g.day) < 6) AS working
        FROM generate_series(
            COALESCE((SELECT MIN(started_at) FROM rounds), %(start)s) AT TIME ZONE %(tz)s,
            %(end)s AT TIME ZONE %(tz)s, interval '1 day') AS g(day)
        LEFT JOIN worktime_calendarday c ON c.date = g.day::date
    ) d
)
"""

# The working seconds before instant ``{at}`` on the clock, its day being ``work_days`` row ``{day}``.
WORK_AT = """({day}.before + CASE WHEN {day}.working THEN (
    SELECT SUM(GREATEST(0, EXTRACT(EPOCH FROM LEAST(({at} AT TIME ZONE %(tz)s)::time::interval, o.closes) - o.opens)))
    FROM office o) ELSE 0 END)"""

# Each round of the scope with what happened to it in the period: whether it came due,
# and the period's returns (and whether the next dispatch sent it back: 推诿), reworks
# (a reopen counts on the round it reopens), urges while open, extensions granted and
# the satisfaction given when the case was closed; where its case is (grid, community,
# township), the working time it took (a due, resolved round) and the figures an upheld
# appeal excused it from (none while computed from the timeline; a later published
# version stores them, ``evaluation.services.freezing``). Every reader of rounds, live or
# frozen, reads these columns.
_PER_ROUND = f"""
per_round AS (
    SELECT r.case_id, r.round_no, c.tracking_no, r.department_id, r.officer_id,
        community.township_id, grid.community_id, grid.code AS grid_code,
        r.started_at, r.deadline, r.resolved_at, r.due_at, r.held_at_end, r.is_due,
        r.returned,
        CASE WHEN r.returned > 0 AND r.next_department_id = r.department_id THEN r.returned ELSE 0 END AS shirked,
        r.rework, r.urged, r.extended, r.rated, r.satisfied, r.basically_satisfied, r.dissatisfied,
        CASE WHEN r.is_due AND r.resolved_at IS NOT NULL
             THEN {WORK_AT.format(at="r.resolved_at", day="clock_end")}
                - {WORK_AT.format(at="r.started_at", day="clock_start")}
        END AS handling_seconds,
        '{{}}'::text[] AS excused
    FROM (SELECT rounds.*, COALESCE(rounds.due_at >= %(start)s AND rounds.due_at < %(end)s, false) AS is_due
          FROM rounds) r
    -- the case by its key, one lookup a round (a join would read every case of the city)
    CROSS JOIN LATERAL (SELECT x.tracking_no, x.grid_id FROM incidents_case x WHERE x.id = r.case_id OFFSET 0) c
    JOIN grids_grid grid ON grid.id = c.grid_id
    JOIN grids_community community ON community.id = grid.community_id
    LEFT JOIN work_days clock_start ON clock_start.day = (r.started_at AT TIME ZONE %(tz)s)::date
    LEFT JOIN work_days clock_end ON clock_end.day = (r.resolved_at AT TIME ZONE %(tz)s)::date
    WHERE r.department_id IS NOT NULL
)
"""  # noqa: S608 - constant SQL
PER_ROUND_CTE = ",\n".join((ROUNDS_CTE, WORK_DAYS_CTE, _PER_ROUND))


def timeline_params(start: datetime, end: datetime) -> dict:
    """The bounds of ``TIMELINE_CTE`` for the period ``[start, end)``."""
    return {"timeline_from": start - timedelta(hours=settings.EVALUATION_VERIFY_HOURS), "timeline_end": end}


# Inside ``materialized``: the period whose rounds sit in the temporary table, and what
# ``memo`` kept for it.
_MATERIALIZED: ContextVar[tuple[datetime, datetime] | None] = ContextVar("evaluation_rounds", default=None)
_MEMO: ContextVar[dict | None] = ContextVar("evaluation_memo", default=None)
MATERIALIZED_TABLE = "evaluation_period_rounds"
TIMELINE_TABLE = "evaluation_period_timeline"
_TIMELINE_FROM_TABLE = f"period_timeline AS (SELECT * FROM {TIMELINE_TABLE})"  # noqa: S608 - our table name


def timeline_cte(start: datetime, end: datetime) -> str:
    """The ``period_timeline`` CTE of a period (``TIMELINE_CTE``): ``materialized``'s table inside it."""
    if _MATERIALIZED.get() == (start, end):
        return _TIMELINE_FROM_TABLE
    return TIMELINE_CTE


def with_timeline(sql: str, start: datetime, end: datetime) -> str:
    """``sql`` (written with ``TIMELINE_CTE``) reading the period's timeline from where ``timeline_cte`` says."""
    return sql.replace(TIMELINE_CTE, timeline_cte(start, end))


def per_round_cte(start: datetime, end: datetime) -> str:
    """The ``per_round`` CTE of a period: read from ``materialized``'s table inside it, else computed."""
    if _MATERIALIZED.get() == (start, end):
        return f"per_round AS (SELECT * FROM {MATERIALIZED_TABLE})"  # noqa: S608 - our table name
    return PER_ROUND_CTE


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept for the rest of a ``materialized`` block (several subject kinds
    share a query: computed once when a month is published), else computed each time."""
    kept = _MEMO.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


@contextmanager
def materialized(start: datetime, end: datetime) -> Iterator[None]:
    """Compute the period's rounds once, into a temporary table that every figure, listing
    and freeze inside the block reads (publishing a month reads them once per subject kind
    otherwise). One transaction; the table goes with it."""
    tables = (TIMELINE_TABLE, MATERIALIZED_TABLE)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64MB'")  # the month's sorts in memory, not on disk
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")
        cursor.execute(
            f"CREATE TEMP TABLE {TIMELINE_TABLE} ON COMMIT DROP AS WITH {TIMELINE_CTE} SELECT * FROM period_timeline",  # noqa: S608 - constant SQL
            timeline_params(start, end),
        )
        cursor.execute(f"ANALYZE {TIMELINE_TABLE} (case_id, action, created_at)")  # what its readers filter on
        token, memo_token = _MATERIALIZED.set((start, end)), _MEMO.set({})
        try:
            per_round = with_timeline(PER_ROUND_CTE, start, end)  # the rounds' scope from the table above
            cursor.execute(
                f"CREATE TEMP TABLE {MATERIALIZED_TABLE} ON COMMIT DROP AS WITH {per_round} SELECT * FROM per_round",  # noqa: S608 - constant SQL
                period_params(start, end),
            )
            cursor.execute(f"ANALYZE {MATERIALIZED_TABLE}")
            yield
        finally:
            _MATERIALIZED.reset(token)
            _MEMO.reset(memo_token)
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)}")
