"""The evaluation benchmark's data: a year of cases with the timeline the domain writes.

Each case is reported, accepted and dispatched (the row keeps the department's code and a
deadline 3 days later, as ``dispatch_case`` writes them); then, by its number: resolved on
time (70 %), resolved late (15 %), returned and redispatched to the same department and
resolved (5 %), or still open (10 % of the last month's). Resolved cases are approved with a
rating (satisfied, basically satisfied, dissatisfied in turn).
"""

from __future__ import annotations

import time

from django.db import connection, transaction

PREFIX = "EVB"

INSERT_CASES = """
WITH grids AS (
    SELECT g.id, row_number() OVER (ORDER BY g.id) - 1 AS k, ST_PointOnSurface(g.boundary) AS p
    FROM grids_grid g JOIN grids_generation v ON v.id = g.generation_id AND v.is_active
), subs AS (
    SELECT id, lead_department_id, row_number() OVER (ORDER BY id) - 1 AS k FROM incidents_subcategory
), rows AS (
    SELECT i, now() - (%(total)s - i) * (365.0 / %(total)s) * interval '1 day' AS created
    FROM generate_series(0::bigint, %(total)s - 1) AS i
)
INSERT INTO incidents_case (
    tracking_no, source, subcategory_id, description, location, address, grid_id, reporter_name,
    reporter_phone, urgency, status, lead_department_id, accepted_at, dispatched_at, deadline,
    time_limit_amount, time_limit_unit, deadline_provisional, return_count, rework_count, urge_count,
    resolved_at, closed_at, satisfaction, reject_reason, created_at, updated_at)
SELECT %(prefix)s || lpad(r.i::text, 9, '0'), 'grid_worker', s.id, '合成事件', g.p, '', g.id, '', '',
    'normal', 'closed', s.lead_department_id, r.created, r.created + interval '1 hour',
    r.created + interval '73 hours', 3, 'working_days', false, 0, 0, 0, NULL, NULL, '', '', r.created, r.created
FROM rows r
JOIN grids g ON g.k = (r.i * 7919) %% (SELECT count(*) FROM grids)
JOIN subs s ON s.k = (r.i * 104729) %% (SELECT count(*) FROM subs)
"""

INSERT_EVENTS = """
INSERT INTO incidents_caseevent (case_id, actor_id, actor_role, department_id, action, from_status, to_status,
                                 note, data, created_at)
SELECT c.id, step.actor, '', step.department, step.action, '', '', '', step.data, step.at
FROM (
    SELECT c.*, substring(c.tracking_no FROM 4)::bigint %% 20 AS fate, d.code, o.user_id AS officer
    FROM incidents_case c
    JOIN departments_department d ON d.id = c.lead_department_id
    LEFT JOIN LATERAL (SELECT user_id FROM departments_officer WHERE department_id = d.id LIMIT 1) o ON true
    WHERE c.tracking_no LIKE %(pattern)s
) c
CROSS JOIN LATERAL (VALUES
    ('report', NULL::bigint, NULL::bigint, '{}'::jsonb, c.created_at, true),
    ('accept', NULL, NULL, '{}', c.created_at + interval '20 minutes', true),
    ('dispatch', NULL, NULL, jsonb_build_object('department', c.code, 'deadline', c.deadline),
        c.dispatched_at, true),
    ('start', c.officer, c.lead_department_id, '{}', c.dispatched_at + interval '1 hour', c.fate < 18),
    ('return', c.officer, c.lead_department_id, '{}', c.dispatched_at + interval '2 hours', c.fate = 17),
    ('dispatch', NULL, NULL, jsonb_build_object('department', c.code, 'deadline', c.deadline + interval '3 hours'),
        c.dispatched_at + interval '3 hours', c.fate = 17),
    ('resolve', c.officer, c.lead_department_id, '{}',
        c.dispatched_at + CASE WHEN c.fate BETWEEN 14 AND 16 THEN interval '100 hours' ELSE interval '30 hours' END,
        c.fate < 18 AND c.dispatched_at + interval '100 hours' < now()),
    ('approve', NULL, NULL, jsonb_build_object('satisfaction',
        (ARRAY['satisfied', 'basically_satisfied', 'dissatisfied'])[1 + c.fate %% 3]),
        c.dispatched_at + interval '101 hours', c.fate < 18 AND c.dispatched_at + interval '101 hours' < now())
) AS step(action, actor, department, data, at, happened)
WHERE step.happened
"""


def ensure_history(total: int) -> None:
    from dashboard import rollups

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_case WHERE tracking_no LIKE %s", [PREFIX + "%"])
        if cursor.fetchone()[0] == total:
            return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # A benchmark database of its own: everything that hangs on the cases goes (CASCADE).
        cursor.execute("TRUNCATE incidents_caseevent, incidents_case CASCADE")
        cursor.execute(INSERT_CASES, {"total": total, "prefix": PREFIX})
        cursor.execute(INSERT_EVENTS, {"pattern": PREFIX + "%"})
        events = cursor.rowcount
    rollups.repair()  # the wall screen's counts, which TRUNCATE does not tell
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_case; ANALYZE incidents_caseevent")
    print(f"  wrote {total:,} cases and {events:,} timeline rows in {time.perf_counter() - started:.0f} s")
