"""The SQL behind the grid-worker figures (``evaluation.services.workers`` states the rules).

Each text is a set of CTEs over the timeline (and the patrols) of one period, read as of
``%(until)s`` (the period's end, or now for the month in progress); a caller adds the
final ``SELECT``: an aggregate per worker, or the cases behind one figure of one worker.
The period's own rows are read through ``rounds.TIMELINE_CTE`` (``rounds.with_timeline``).
"""

from __future__ import annotations

from evaluation.services.rounds import TIMELINE_CTE

# Whether the case of the report row ``r`` is an errand (代办), by its sub-item as of
# ``%(until)s``: the last one an accept or dispatch row recorded, else the one reported
# (else, for rows written before reports kept it, the case's; ``s`` is that sub-item).
ERRAND = """COALESCE(
            (SELECT x.data->>'subcategory' FROM incidents_caseevent x
             WHERE x.case_id = r.case_id AND x.action IN ('accept', 'dispatch') AND x.data ? 'subcategory'
               AND x.created_at < %(until)s
             ORDER BY x.created_at DESC, x.id DESC LIMIT 1),
            r.data->>'subcategory', s.code) LIKE %(errands)s"""

# The report, self-resolve and approve rows of the period, each with the grid worker who
# reported its case, whether the case is an errand (代办, by its sub-item as of ``until``) and
# whether the report is valid (not rejected; a merged duplicate only if it came first).
CASE_MARKS_CTE = f"""
{TIMELINE_CTE},
marks AS (
    SELECT e.id, e.case_id, e.action, e.created_at, e.data
    FROM period_timeline e
    WHERE e.created_at >= %(start)s AND e.created_at < %(until)s
      AND e.action IN ('report', 'self_resolve', 'approve')
),
reported AS (
    SELECT r.case_id, r.actor_id AS worker_id, r.created_at AS reported_at,
        {ERRAND} AS errand
    FROM incidents_caseevent r
    JOIN incidents_case c ON c.id = r.case_id
    JOIN incidents_subcategory s ON s.id = c.subcategory_id
    WHERE r.action = 'report' AND r.actor_role = 'grid_worker' AND r.actor_id IS NOT NULL
      AND r.case_id IN (SELECT case_id FROM marks)
),
judged AS (
    SELECT p.case_id, p.worker_id, p.reported_at, p.errand,
        (closed.action IS NULL OR (closed.action = 'merge'
            AND NOT EXISTS (
                SELECT 1 FROM incidents_case o
                WHERE o.id = closed.into_id AND (o.created_at, o.id) < (p.reported_at, p.case_id))
            AND NOT EXISTS (
                SELECT 1 FROM incidents_caseevent y JOIN incidents_case z ON z.id = y.case_id
                WHERE y.action = 'merge' AND y.to_status = 'rejected' AND y.created_at < %(until)s
                  AND (y.data->>'into_id')::bigint = closed.into_id
                  AND (z.created_at, z.id) < (p.reported_at, p.case_id)))) AS valid
    FROM reported p
    LEFT JOIN LATERAL (
        SELECT x.action, (x.data->>'into_id')::bigint AS into_id FROM incidents_caseevent x
        WHERE x.case_id = p.case_id AND x.created_at < %(until)s
          AND (x.action = 'reject' OR (x.action = 'merge' AND x.to_status = 'rejected'))
        ORDER BY x.created_at, x.id LIMIT 1
    ) closed ON true
),
worker_marks AS (
    SELECT m.case_id, m.action, m.created_at, m.data, j.worker_id, j.reported_at, j.errand, j.valid
    FROM marks m
    JOIN judged j ON j.case_id = m.case_id
)
"""  # noqa: S608 - our SQL

# Each figure of the cases a worker reported: a condition on ``worker_marks`` (alias ``w``).
CASE_FIGURES = {
    "reports": "w.action = 'report' AND NOT w.errand",
    "valid_reports": "w.action = 'report' AND NOT w.errand AND w.valid",
    "self_resolved": "w.action = 'self_resolve' AND NOT w.errand",
    "errands_done": "w.action = 'approve' AND w.errand",
}

CASE_COUNTS = """
WITH {cte}
SELECT w.worker_id,
    COUNT(*) FILTER (WHERE {reports}) AS reports,
    COUNT(*) FILTER (WHERE {valid_reports}) AS valid_reports,
    COUNT(*) FILTER (WHERE {self_resolved}) AS self_resolved,
    COUNT(*) FILTER (WHERE {errands_done}) AS errands_done,
    COUNT(*) FILTER (WHERE w.action = 'approve' AND NOT w.errand AND w.data->>'satisfaction' IS NOT NULL) AS rated,
    COUNT(*) FILTER (WHERE w.action = 'approve' AND NOT w.errand AND w.data->>'satisfaction' = 'satisfied')
        AS satisfied,
    COUNT(*) FILTER (WHERE w.action = 'approve' AND NOT w.errand
        AND w.data->>'satisfaction' = 'basically_satisfied') AS basically_satisfied
FROM worker_marks w
GROUP BY w.worker_id
""".format(cte=CASE_MARKS_CTE, **CASE_FIGURES)

CASE_LISTING = """
WITH {cte}
SELECT w.case_id, c.tracking_no, w.reported_at AS started_at, NULL::timestamptz AS deadline,
    CASE WHEN w.action IN ('self_resolve', 'approve') THEN w.created_at END AS resolved_at
FROM worker_marks w
JOIN incidents_case c ON c.id = w.case_id
WHERE w.worker_id = %(worker)s AND {condition}
ORDER BY w.created_at, w.case_id
"""

# On-site checks (核查) asked by each resolution (``resolve`` or ``self_resolve`` row): the
# first ``verify`` row before the case leaves "resolved" answers it; it settles at
# min(answer, limit); one withdrawn unanswered before its limit (approved or reopened) counts
# nowhere. Asked of the one who answered it, else of every active worker of the case's grid.
VERIFICATIONS_CTE = f"""
{TIMELINE_CTE},
asked AS (
    SELECT e.id, e.case_id, e.created_at AS asked_at,
           e.created_at + make_interval(hours => %(verify_hours)s) AS limit_at
    FROM period_timeline e
    WHERE e.action IN ('resolve', 'self_resolve')
      AND e.created_at >= %(asked_from)s AND e.created_at < %(until)s
),
answered AS (
    SELECT a.case_id, a.asked_at, a.limit_at, l.created_at AS left_at, v.created_at AS verified_at,
           v.actor_id AS verifier_id
    FROM asked a
    LEFT JOIN LATERAL (
        SELECT x.created_at, x.id FROM incidents_caseevent x
        WHERE x.case_id = a.case_id AND x.action IN ('approve', 'reopen') AND x.created_at < %(until)s
          AND (x.created_at, x.id) > (a.asked_at, a.id)
        ORDER BY x.created_at, x.id LIMIT 1
    ) l ON true
    LEFT JOIN LATERAL (
        SELECT x.created_at, x.actor_id FROM incidents_caseevent x
        WHERE x.case_id = a.case_id AND x.action = 'verify' AND x.created_at < %(until)s
          AND (x.created_at, x.id) > (a.asked_at, a.id)
          AND (l.id IS NULL OR (x.created_at, x.id) < (l.created_at, l.id))
        ORDER BY x.created_at, x.id LIMIT 1
    ) v ON true
),
requests AS (
    SELECT a.case_id, a.asked_at, a.limit_at, a.verified_at, a.verifier_id,
           COALESCE(a.verified_at <= a.limit_at, false) AS on_time
    FROM answered a
    WHERE (a.verified_at IS NOT NULL OR a.left_at IS NULL OR a.left_at >= a.limit_at)
      AND LEAST(a.verified_at, a.limit_at) >= %(start)s AND LEAST(a.verified_at, a.limit_at) < %(until)s
),
asked_of AS (
    SELECT r.*, r.verifier_id AS worker_id FROM requests r WHERE r.verifier_id IS NOT NULL
    UNION ALL
    SELECT r.*, gw.user_id AS worker_id
    FROM requests r
    JOIN incidents_case c ON c.id = r.case_id
    JOIN grids_gridworker_grids g ON g.grid_id = c.grid_id
    JOIN grids_gridworker gw ON gw.id = g.gridworker_id
    JOIN auth_user u ON u.id = gw.user_id AND u.is_active
    WHERE r.verifier_id IS NULL
)
"""  # noqa: S608 - constant SQL

VERIFICATION_FIGURES = {"verifications": "true", "verified_on_time": "r.on_time"}

VERIFICATION_COUNTS = """
WITH {cte}
SELECT r.worker_id, COUNT(*) FILTER (WHERE {verifications}) AS verifications,
    COUNT(*) FILTER (WHERE {verified_on_time}) AS verified_on_time
FROM asked_of r
GROUP BY r.worker_id
""".format(cte=VERIFICATIONS_CTE, **VERIFICATION_FIGURES)

VERIFICATION_LISTING = """
WITH {cte}
SELECT r.case_id, c.tracking_no, r.asked_at AS started_at, r.limit_at AS deadline, r.verified_at AS resolved_at
FROM asked_of r
JOIN incidents_case c ON c.id = r.case_id
WHERE r.worker_id = %(worker)s AND {condition}
ORDER BY r.asked_at, r.case_id
"""

# Working days of the period (``%(days)s``) on which a worker's own patrols reach the daily
# minimum of time or distance: each patrol counts in a day for its part inside the day (as
# the coverage of ``patrols.services.coverage``), its distance in proportion.
PATROL_DAYS = """
WITH days AS (
    SELECT d AS day, (d::timestamp AT TIME ZONE %(tz)s) AS day_start,
           ((d + 1)::timestamp AT TIME ZONE %(tz)s) AS day_end
    FROM unnest(%(days)s::date[]) AS d
),
parts AS (
    SELECT p.worker_id, days.day,
        SUM(part.seconds) AS seconds,
        SUM(CASE WHEN part.total > 0 THEN p.distance_m * part.seconds / part.total
                 WHEN p.started_at >= days.day_start THEN p.distance_m ELSE 0 END) AS metres
    FROM patrols_patrol p
    CROSS JOIN LATERAL (SELECT COALESCE(p.ended_at, p.last_point_at, p.started_at) AS ended_at) e
    JOIN days ON p.started_at < days.day_end AND e.ended_at >= days.day_start
    CROSS JOIN LATERAL (
        SELECT GREATEST(0, EXTRACT(EPOCH FROM LEAST(e.ended_at, days.day_end) - GREATEST(p.started_at, days.day_start)))
                   AS seconds,
               EXTRACT(EPOCH FROM e.ended_at - p.started_at) AS total
    ) part
    WHERE p.started_at >= %(earliest)s AND p.started_at < %(until)s AND p.created_at < %(until)s
    GROUP BY p.worker_id, days.day
)
SELECT worker_id, COUNT(*) AS patrol_days_met
FROM parts
WHERE seconds >= %(min_seconds)s OR metres >= %(min_metres)s
GROUP BY worker_id
"""
