"""The wall-screen benchmark's data: the demo city and a synthetic case history of any size.

The history is written with ``INSERT ... SELECT generate_series`` (cases and their
timeline rows); the statement-level triggers count it as it goes in.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

PREFIX = "SYN"

# The seed city on 1 May 2015 (DESIGN.md): 1,544 received = 1,133 + 339 + 48 + 24.
DEMO_PLAN = [
    ("closed", 1133),
    ("rejected", 8),
    ("resolved", 339),
    ("dispatched", 14),
    ("in_progress", 30),
    ("returned", 4),
    ("registered", 6),
    ("reported", 10),
]


def big_plan(total: int) -> list[tuple[str, int]]:
    """Mostly history (closed, rejected), the newest cases still moving."""
    moving = [
        ("resolved", 12_000),
        ("dispatched", 4_000),
        ("in_progress", 5_000),
        ("returned", 600),
        ("registered", 1_400),
        ("reported", 2_000),
    ]
    scale = total / 1_000_000
    moving = [(status, max(1, int(count * scale))) for status, count in moving]
    rejected = int(total * 0.045)
    return [("closed", total - rejected - sum(n for _s, n in moving)), ("rejected", rejected), *moving]


def ensure_city() -> None:
    from accounts import demo as accounts_demo
    from departments import demo as departments_demo
    from grids import demo as grids_demo
    from grids.models import Generation

    if Generation.objects.active() is not None:
        return
    started = time.perf_counter()
    for seeder in (accounts_demo.seed, grids_demo.seed, departments_demo.seed):
        with transaction.atomic():
            seeder(password="bench-only-password", log=lambda line: None)
    print(f"  demo city written in {time.perf_counter() - started:.1f} s")


def synthetic_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_case WHERE tracking_no LIKE %s", [PREFIX + "%"])
        return cursor.fetchone()[0]


def clear_synthetic() -> None:
    """Drop the synthetic history (the timeline is immutable: its trigger is set aside)."""
    from dashboard import rollups

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ALTER TABLE incidents_caseevent DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE incidents_case DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM incidents_attachment")
        cursor.execute("DELETE FROM incidents_caseevent")
        cursor.execute("DELETE FROM incidents_case_assisting_departments")
        cursor.execute("DELETE FROM incidents_case")
        cursor.execute("ALTER TABLE incidents_caseevent ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE incidents_case ENABLE TRIGGER USER")
    rollups.repair()


INSERT_CASES = """
WITH grids AS (
    SELECT g.id, row_number() OVER (ORDER BY g.id) - 1 AS k, ST_PointOnSurface(g.boundary) AS p,
           ST_XMax(g.boundary) - ST_XMin(g.boundary) AS w
    FROM grids_grid g JOIN grids_generation v ON v.id = g.generation_id AND v.is_active
), subs AS (
    SELECT id, lead_department_id, row_number() OVER (ORDER BY id) - 1 AS k FROM incidents_subcategory
), plan AS (
    SELECT status, sum(n) OVER (ORDER BY ord) - n AS first, sum(n) OVER (ORDER BY ord) AS last
    FROM unnest(%(statuses)s::text[], %(counts)s::bigint[]) WITH ORDINALITY AS t(status, n, ord)
), rows AS (
    SELECT i, plan.status,
           now() - (%(total)s - i) * (%(span)s::float / %(total)s) * interval '1 day' AS created
    FROM generate_series(0::bigint, %(total)s - 1) AS i JOIN plan ON i >= plan.first AND i < plan.last
)
INSERT INTO incidents_case (
    tracking_no, source, subcategory_id, description, location, address, grid_id, reporter_name,
    reporter_phone, urgency, status, lead_department_id, accepted_at, dispatched_at, deadline,
    time_limit_amount, time_limit_unit, deadline_provisional, return_count, rework_count, urge_count,
    resolved_at, closed_at, satisfaction, reject_reason, created_at, updated_at)
SELECT
    %(prefix)s || lpad(r.i::text, 9, '0'),
    (ARRAY['grid_worker', 'grid_worker', 'grid_worker', 'hotline', 'resident', 'camera', 'department', 'leader'])
        [1 + (r.i * 7) %% 8],
    s.id, '合成事件',
    ST_Translate(g.p, ((r.i * 13) %% 11 - 5) * g.w / 40, ((r.i * 17) %% 11 - 5) * g.w / 40),
    '', g.id, '', '', 'normal', r.status,
    CASE WHEN r.status IN ('reported', 'registered', 'rejected') THEN NULL ELSE s.lead_department_id END,
    CASE WHEN r.status = 'reported' THEN NULL ELSE r.created + interval '20 minutes' END,
    CASE WHEN r.status IN ('reported', 'registered', 'rejected') THEN NULL ELSE r.created + interval '1 hour' END,
    CASE WHEN r.status IN ('reported', 'registered', 'rejected') THEN NULL ELSE r.created + interval '3 days' END,
    CASE WHEN r.status IN ('reported', 'registered', 'rejected') THEN NULL ELSE 3 END,
    CASE WHEN r.status IN ('reported', 'registered', 'rejected') THEN '' ELSE 'working_days' END,
    false, CASE WHEN r.status = 'returned' THEN 1 ELSE 0 END, 0, 0,
    CASE WHEN r.status IN ('resolved', 'closed') THEN r.created + ((r.i %% 5) + 1) * interval '18 hours' END,
    CASE WHEN r.status = 'closed' THEN r.created + ((r.i %% 5) + 2) * interval '18 hours' END,
    '', CASE WHEN r.status = 'rejected' THEN '重复上报' ELSE '' END,
    r.created, r.created
FROM rows r
JOIN grids g ON g.k = (r.i * 7919) %% (SELECT count(*) FROM grids)
JOIN subs s ON s.k = (r.i * 104729) %% (SELECT count(*) FROM subs)
"""

# One timeline row per step each synthetic case went through (report, accept, dispatch,
# start, resolve, approve / reject, return), so the charts of steps have their history.
INSERT_EVENTS = """
INSERT INTO incidents_caseevent (case_id, actor_id, actor_role, department_id, action, from_status, to_status,
                                 note, data, created_at)
SELECT c.id, NULL, '', step.department, step.action, step.from_status, step.to_status, '', '{}'::jsonb, step.at
FROM incidents_case c
CROSS JOIN LATERAL (VALUES
    ('report', '', 'reported', NULL::bigint, c.created_at, true),
    ('reject', 'reported', 'rejected', NULL, c.created_at + interval '20 minutes', c.status = 'rejected'),
    ('accept', 'reported', 'registered', NULL, c.accepted_at, c.accepted_at IS NOT NULL),
    ('dispatch', 'registered', 'dispatched', NULL, c.dispatched_at, c.dispatched_at IS NOT NULL),
    ('return', 'dispatched', 'returned', c.lead_department_id, c.dispatched_at + interval '2 hours',
        c.status = 'returned'),
    ('start', 'dispatched', 'in_progress', c.lead_department_id, c.dispatched_at + interval '2 hours',
        c.status IN ('in_progress', 'resolved', 'closed')),
    ('resolve', 'in_progress', 'resolved', c.lead_department_id, c.resolved_at, c.resolved_at IS NOT NULL),
    ('approve', 'resolved', 'closed', NULL, c.closed_at, c.closed_at IS NOT NULL)
) AS step(action, from_status, to_status, department, at, happened)
WHERE c.tracking_no LIKE %(pattern)s AND step.happened
"""


def write_history(plan: list[tuple[str, int]], span_days: float) -> None:
    total = sum(n for _status, n in plan)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            INSERT_CASES,
            {
                "statuses": [status for status, _n in plan],
                "counts": [n for _status, n in plan],
                "total": total,
                "span": span_days,
                "prefix": PREFIX,
            },
        )
        cases = time.perf_counter() - started
        cursor.execute(INSERT_EVENTS, {"pattern": PREFIX + "%"})
        events = cursor.rowcount
    cursor_total = time.perf_counter() - started
    print(
        f"  wrote {total:,} cases in {cases:.1f} s and {events:,} timeline rows in {cursor_total - cases:.1f} s"
        " (the triggers counted them as they went in)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_case; ANALYZE incidents_caseevent")


def settle() -> None:
    """After a bulk load: fold the millions of deltas and vacuum them away, as an operator
    would (autovacuum gets there too, later); otherwise readers scan their dead rows."""
    from dashboard import rollups

    started = time.perf_counter()
    folded = rollups.fold()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dashboard_tallydelta")
        cursor.execute("VACUUM ANALYZE dashboard_tally")
    if folded:
        print(f"  folded {folded:,} count changes and vacuumed in {time.perf_counter() - started:.1f} s")


def ensure_history(plan: list[tuple[str, int]], span_days: float) -> None:
    total = sum(n for _status, n in plan)
    have = synthetic_count()
    if have == total:
        print(f"  {total:,} synthetic cases already in the database")
    else:
        if have:
            clear_synthetic()
        write_history(plan, span_days)
    settle()


def leader():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="leader")
