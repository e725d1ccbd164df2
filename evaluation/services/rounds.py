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
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from gridcenter.env import parse_office_hours

# How far before a period its rounds may have started (a round due in the month began at
# most this long before it: limits are days, extensions weeks).
HORIZON = timedelta(days=400)

# The rounds of every case with a step in [horizon, end), as of ``end``.
ROUNDS_CTE = """
scope AS (
    SELECT DISTINCT case_id FROM incidents_caseevent
    WHERE created_at >= %(horizon)s AND created_at < %(end)s
),
ev AS (
    SELECT e.id, e.case_id, e.action, e.created_at, e.actor_id, e.data,
           COALESCE(e.department_id, d.id) AS department_id,
           SUM(CASE WHEN e.action IN ('dispatch', 'reopen') THEN 1 ELSE 0 END)
               OVER (PARTITION BY e.case_id ORDER BY e.created_at, e.id) AS round_no
    FROM incidents_caseevent e
    JOIN scope ON scope.case_id = e.case_id
    LEFT JOIN departments_department d ON e.action = 'dispatch' AND d.code = e.data->>'department'
    WHERE e.created_at < %(end)s
      AND e.action IN ('dispatch', 'reopen', 'resolve', 'return', 'merge', 'reject', 'ext_approve',
                       'hold_approve', 'resume', 'assign', 'start', 'urge', 'approve')
),
deadlines AS (
    SELECT case_id, round_no, created_at, id, (data->>'deadline')::timestamptz AS deadline,
           COALESCE((data->>'held_since')::timestamptz, created_at) AS granted_at,
           LAG((data->>'deadline')::timestamptz) OVER (
               PARTITION BY case_id, round_no ORDER BY created_at, id) AS replaces
    FROM ev
    WHERE round_no > 0 AND action IN ('dispatch', 'reopen', 'ext_approve', 'resume') AND data ? 'deadline'
),
chained AS (
    SELECT case_id, round_no, created_at, id, deadline,
           BOOL_AND(replaces IS NULL OR granted_at <= replaces) OVER (
               PARTITION BY case_id, round_no ORDER BY created_at, id) AS unbroken
    FROM deadlines
),
effective AS (
    SELECT DISTINCT ON (case_id, round_no) case_id, round_no, deadline
    FROM chained
    WHERE unbroken
    ORDER BY case_id, round_no, created_at DESC, id DESC
),
grouped AS (
    SELECT case_id, round_no,
        MIN(created_at) FILTER (WHERE action IN ('dispatch', 'reopen')) AS started_at,
        (ARRAY_AGG(department_id ORDER BY created_at, id)
            FILTER (WHERE action IN ('dispatch', 'reopen')))[1] AS department_id,
        MIN(created_at) FILTER (WHERE action IN ('resolve', 'return', 'merge', 'reject')) AS ended_at,
        (ARRAY_AGG(action ORDER BY created_at, id)
            FILTER (WHERE action IN ('resolve', 'return', 'merge', 'reject')))[1] AS end_action,
        (ARRAY_AGG(actor_id ORDER BY created_at, id) FILTER (WHERE action = 'resolve'))[1] AS resolver_id,
        (ARRAY_AGG((data->>'officer')::bigint ORDER BY created_at DESC, id DESC)
            FILTER (WHERE action IN ('dispatch', 'assign') AND data->>'officer' IS NOT NULL))[1] AS assigned_id,
        (ARRAY_AGG(actor_id ORDER BY created_at, id) FILTER (WHERE action = 'start'))[1] AS starter_id,
        MAX(created_at) FILTER (WHERE action = 'hold_approve') AS held_at,
        MAX(created_at) FILTER (WHERE action = 'resume') AS resumed_at
    FROM ev
    WHERE round_no > 0
    GROUP BY case_id, round_no
),
rounds AS (
    SELECT g.case_id, g.round_no, g.department_id, g.started_at,
        CASE WHEN h.parked AND g.end_action = 'resolve' THEN GREATEST(f.deadline, g.ended_at)
             ELSE f.deadline END AS deadline,
        g.ended_at, g.end_action,
        CASE WHEN g.end_action = 'resolve' THEN g.ended_at END AS resolved_at,
        COALESCE(g.resolver_id, g.assigned_id, g.starter_id) AS officer_id,
        CASE
            WHEN h.parked THEN CASE WHEN g.end_action = 'resolve' THEN g.ended_at END
            WHEN g.end_action = 'resolve' THEN GREATEST(g.started_at, LEAST(g.ended_at, f.deadline))
            WHEN g.ended_at IS NULL OR f.deadline < g.ended_at THEN GREATEST(g.started_at, f.deadline)
        END AS due_at,
        (h.on_hold AND g.ended_at IS NULL) AS held_at_end
    FROM grouped g
    JOIN effective f ON f.case_id = g.case_id AND f.round_no = g.round_no
    CROSS JOIN LATERAL (
        SELECT on_hold, on_hold AND g.held_at < f.deadline AS parked
        FROM (SELECT g.held_at IS NOT NULL AND (g.resumed_at IS NULL OR g.resumed_at < g.held_at) AS on_hold) x
    ) h
    WHERE g.department_id IS NOT NULL
)
"""

# What each round of a period is, for listing the rounds behind a figure.
ROUND_COLUMNS = (
    "case_id",
    "round_no",
    "department_id",
    "officer_id",
    "started_at",
    "deadline",
    "resolved_at",
    "due_at",
    "held_at_end",
)


def period_params(start: datetime, end: datetime) -> dict:
    """The query parameters of a period: its bounds, the time zone and the office hours."""
    periods = parse_office_hours(settings.OFFICE_HOURS)
    return {
        "start": start,
        "end": end,
        "horizon": start - HORIZON,
        "tz": settings.TIME_ZONE,
        "office_starts": [f"{a:%H:%M}" for a, _b in periods],
        "office_ends": [f"{b:%H:%M}" for _a, b in periods],
    }


# Working seconds from a round's start to its resolution, on the official calendar (the
# same rule as ``worktime.calendar.working_time_between``), for the round aliased ``{round}``.
WORKING_SECONDS = """
SELECT COALESCE(SUM(GREATEST(0, EXTRACT(EPOCH FROM
        LEAST({round}.resolved_at, (g.day + office.closes) AT TIME ZONE %(tz)s)
        - GREATEST({round}.started_at, (g.day + office.opens) AT TIME ZONE %(tz)s)))), 0) AS seconds
FROM generate_series(({round}.started_at AT TIME ZONE %(tz)s)::date::timestamp,
                     ({round}.resolved_at AT TIME ZONE %(tz)s)::date::timestamp, interval '1 day') AS g(day)
CROSS JOIN unnest(%(office_starts)s::interval[], %(office_ends)s::interval[]) AS office(opens, closes)
LEFT JOIN worktime_calendarday c ON c.date = g.day::date
WHERE COALESCE(c.is_working_day, EXTRACT(ISODOW FROM g.day) < 6)
"""

# Each round of the scope with what happened to it in the period: whether it came due,
# and the period's returns (and whether the next dispatch sent it back: 推诿), reworks
# (a reopen counts on the round it reopens), urges while open, extensions granted and
# the satisfaction given when the case was closed.
_PER_ROUND = """
marks AS (
    SELECT e.case_id, e.action, e.data, e.created_at,
           CASE WHEN e.action = 'reopen' THEN e.round_no - 1 ELSE e.round_no END AS round_no
    FROM ev e
    WHERE e.created_at >= %(start)s AND e.action IN ('return', 'reopen', 'urge', 'ext_approve', 'approve')
),
per_round AS (
    SELECT r.case_id, r.round_no, r.department_id, r.officer_id, r.started_at, r.deadline,
        r.resolved_at, r.due_at, r.held_at_end,
        (r.due_at >= %(start)s AND r.due_at < %(end)s) AS is_due,
        COUNT(m.action) FILTER (WHERE m.action = 'return') AS returned,
        COUNT(m.action) FILTER (WHERE m.action = 'return' AND nx.department_id = r.department_id) AS shirked,
        COUNT(m.action) FILTER (WHERE m.action = 'reopen') AS rework,
        COUNT(m.action) FILTER (WHERE m.action = 'urge' AND (r.ended_at IS NULL OR r.ended_at > m.created_at)) AS urged,
        COUNT(m.action) FILTER (WHERE m.action = 'ext_approve') AS extended,
        COUNT(m.action) FILTER (WHERE m.action = 'approve' AND m.data->>'satisfaction' IS NOT NULL) AS rated,
        COUNT(m.action) FILTER (WHERE m.action = 'approve' AND m.data->>'satisfaction' = 'satisfied') AS satisfied,
        COUNT(m.action) FILTER (
            WHERE m.action = 'approve' AND m.data->>'satisfaction' = 'basically_satisfied') AS basically_satisfied,
        COUNT(m.action) FILTER (WHERE m.action = 'approve' AND m.data->>'satisfaction' = 'dissatisfied') AS dissatisfied
    FROM rounds r
    LEFT JOIN marks m ON m.case_id = r.case_id AND m.round_no = r.round_no
    LEFT JOIN rounds nx ON nx.case_id = r.case_id AND nx.round_no = r.round_no + 1
    GROUP BY r.case_id, r.round_no, r.department_id, r.officer_id, r.started_at, r.deadline,
        r.resolved_at, r.due_at, r.held_at_end
)
"""
PER_ROUND_CTE = ",\n".join((ROUNDS_CTE, _PER_ROUND))
