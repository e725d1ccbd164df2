"""The SLA sweep: its run time with 1,000,000 cases, with 1 % crossing a threshold and with none.

In a benchmark database of its own (``BENCH_SLA_DB``, default ``gridcenter_bench_sla``),
created with the migrations and kept between runs, so the million cases are written once
(``INSERT ... SELECT generate_series``): the demo city's grids, departments and people,
``BENCH_SLA_CASES`` cases (default 1,000,000), of which ``BENCH_SLA_OPEN`` (default 56,000)
are held by a department with their SLA clock running.

Before each measured run the running clocks are set relative to the run's ``T`` (one
``UPDATE``; what an earlier run wrote is removed): 1 % of all the cases (10,000) cross a
threshold at ``T`` (5,000 their warning, 4,000 their deadline, 1,000 their escalation),
the rest of the open ones have their next check hours ahead. Then:

1. ``sweep(now=T - 2 h)``: nothing is due (the query finds nothing in the partial index);
   median and worst of 20 runs. Target < 50 ms, near-constant (it does not grow with the
   open cases).
2. ``sweep(now=T)``: 10,000 cases cross; each gets its step (a ``SlaEscalation`` row, a
   timeline row), its notifications (visibility checked, rows written), the live pushes
   and the delivery tasks after commit. After a warm-up sweep of 20 cases (a worker
   process is long-lived), five runs, each on a fresh arrangement. Target < 2 s.

Run: ``python -m bench sla`` (with ``GRIDCENTER_ENV=development`` and your ``DATABASE_URL``
/ ``REDIS_URL``: the benchmark database sits on the same server).
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import timedelta

from django.db import connection, transaction

from bench.dashboard_history import ensure_city
from bench.databases import use_database

DB_NAME = os.environ.get("BENCH_SLA_DB", "gridcenter_bench_sla")
TOTAL = int(os.environ.get("BENCH_SLA_CASES", "1000000"))
OPEN = int(os.environ.get("BENCH_SLA_OPEN", "56000"))
CROSSING = TOTAL // 100  # 1 %: 50 % warnings, 40 % deadlines, 10 % escalations
PREFIX = "SLA"
LIMIT_HOURS = 72  # a 3-day limit in natural hours: the instants are plain arithmetic here

# Open cases first (ids 0 .. OPEN-1 of the series), then closed and rejected history.
INSERT_CASES = """
WITH grids AS (
    SELECT g.id, row_number() OVER (ORDER BY g.id) - 1 AS k, ST_PointOnSurface(g.boundary) AS p
    FROM grids_grid g JOIN grids_generation v ON v.id = g.generation_id AND v.is_active
), subs AS (
    SELECT id, lead_department_id, row_number() OVER (ORDER BY id) - 1 AS k FROM incidents_subcategory
), rows AS (
    SELECT i,
           CASE WHEN i < %(open)s THEN (CASE WHEN i %% 2 = 0 THEN 'dispatched' ELSE 'in_progress' END)
                WHEN i %% 25 = 0 THEN 'rejected' ELSE 'closed' END AS status,
           now() - (%(total)s - i) * (730.0 / %(total)s) * interval '1 day' AS created
    FROM generate_series(0::bigint, %(total)s - 1) AS i
)
INSERT INTO incidents_case (
    tracking_no, source, subcategory_id, description, location, address, grid_id, reporter_name,
    reporter_phone, urgency, status, lead_department_id, accepted_at, dispatched_at, deadline,
    time_limit_amount, time_limit_unit, deadline_provisional, return_count, rework_count, urge_count,
    resolved_at, closed_at, satisfaction, reject_reason, created_at, updated_at)
SELECT
    %(prefix)s || lpad(r.i::text, 9, '0'), 'grid_worker', s.id, '合成事件', g.p, '', g.id, '', '', 'normal',
    r.status,
    CASE WHEN r.status = 'rejected' THEN NULL ELSE s.lead_department_id END,
    r.created + interval '20 minutes',
    CASE WHEN r.status = 'rejected' THEN NULL ELSE r.created + interval '1 hour' END,
    CASE WHEN r.status = 'rejected' THEN NULL ELSE r.created + interval '73 hours' END,
    CASE WHEN r.status = 'rejected' THEN NULL ELSE %(limit)s END,
    CASE WHEN r.status = 'rejected' THEN '' ELSE 'natural_hours' END,
    false, 0, 0, 0,
    CASE WHEN r.status = 'closed' THEN r.created + interval '30 hours' END,
    CASE WHEN r.status = 'closed' THEN r.created + interval '40 hours' END,
    '', CASE WHEN r.status = 'rejected' THEN '重复上报' ELSE '' END, r.created, r.created
FROM rows r
JOIN grids g ON g.k = (r.i * 7919) %% (SELECT count(*) FROM grids)
JOIN subs s ON s.k = (r.i * 104729) %% (SELECT count(*) FROM subs)
"""

# The running clocks relative to T. Open case n (0-based by id): the first CROSSING cross
# at T (by kind), the others are hours away from their warning. ``m`` spreads the crossing
# ones over the half hour before T.
ARRANGE = """
WITH open AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM incidents_case
    WHERE tracking_no LIKE %(pattern)s AND status IN ('dispatched', 'in_progress')
), plan AS (
    SELECT id, n, 1 + n %% 30 AS m,
           CASE WHEN n >= %(crossing)s THEN 'none'
                WHEN n %% 10 < 5 THEN 'warning' WHEN n %% 10 < 9 THEN 'overdue' ELSE 'escalated' END AS crosses
    FROM open
), timed AS (
    SELECT id, crosses,
           CASE crosses
               WHEN 'warning' THEN %(t)s - (%(warn)s * interval '1 hour') - m * interval '1 minute'
               WHEN 'overdue' THEN %(t)s - (%(limit)s * interval '1 hour') - m * interval '1 minute'
               WHEN 'escalated' THEN %(t)s - ((%(limit)s + %(esc)s) * interval '1 hour') - m * interval '1 minute'
               ELSE %(t)s - ((n %% 40) * interval '1 hour')
           END AS started
    FROM plan
)
UPDATE incidents_case c SET
    dispatched_at = t.started,
    deadline = t.started + %(limit)s * interval '1 hour',
    sla_round = 1,
    sla_started_at = t.started,
    sla_warning_at = t.started + %(warn)s * interval '1 hour',
    sla_escalate_at = t.started + (%(limit)s + %(esc)s) * interval '1 hour',
    sla_level = CASE t.crosses WHEN 'overdue' THEN 'warning' WHEN 'escalated' THEN 'overdue' ELSE 'normal' END,
    sla_next_check_at = CASE t.crosses
        WHEN 'overdue' THEN t.started + %(limit)s * interval '1 hour' + interval '1 microsecond'
        WHEN 'escalated' THEN t.started + (%(limit)s + %(esc)s) * interval '1 hour'
        ELSE t.started + %(warn)s * interval '1 hour' END,
    held_since = NULL, sla_pending = ''
FROM timed t WHERE c.id = t.id
"""


def synthetic_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM incidents_case WHERE tracking_no LIKE %s", [PREFIX + "%"])
        return cursor.fetchone()[0]


def ensure_cases() -> None:
    have = synthetic_count()
    if have == TOTAL:
        print(f"  {TOTAL:,} cases already in the database ({OPEN:,} held by a department)")
        return
    if have:
        raise SystemExit(f"the benchmark database has {have:,} synthetic cases, not {TOTAL:,}: drop {DB_NAME}")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_CASES, {"open": OPEN, "total": TOTAL, "prefix": PREFIX, "limit": LIMIT_HOURS})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE incidents_case")
    print(f"  wrote {TOTAL:,} cases ({OPEN:,} held by a department) in {time.perf_counter() - started:.1f} s")


def clear_sla_effects() -> None:
    """Remove what earlier sweeps wrote (the timeline is immutable: its triggers are set aside)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM notifications_notification")
        cursor.execute("DELETE FROM incidents_slaescalation")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE incidents_caseevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM incidents_caseevent WHERE action LIKE 'sla\\_%%'")
        cursor.execute("ALTER TABLE incidents_caseevent ENABLE TRIGGER USER")


def arrange(t) -> None:
    """Set the running clocks relative to ``t``: CROSSING cross at ``t``, the rest later."""
    from django.conf import settings

    clear_sla_effects()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            ARRANGE,
            {
                "pattern": PREFIX + "%",
                "crossing": CROSSING,
                "t": t,
                "limit": LIMIT_HOURS,
                "warn": LIMIT_HOURS * settings.SLA_WARNING_SHARE,
                "esc": LIMIT_HOURS * settings.SLA_ESCALATION_SHARE,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE incidents_case, incidents_slaescalation, notifications_notification")
        cursor.execute("SELECT count(*) FROM incidents_case WHERE sla_next_check_at <= %s", [t])
        due = cursor.fetchone()[0]
    assert due == CROSSING, f"{due} due, expected {CROSSING}"


def due_query_plan(t) -> str:
    from incidents.models import Case

    due = Case.objects.filter(sla_next_check_at__lte=t).order_by("sla_next_check_at", "id").values("id")[:1000]
    plan = due.explain(analyze=True)
    return next((line.strip() for line in plan.splitlines() if "Index" in line), plan.splitlines()[0])


def measure_none_due(t) -> None:
    from incidents.services.sweep import sweep

    times = []
    for _run in range(20):
        started = time.perf_counter()
        result = sweep(now=t - timedelta(hours=2))
        times.append(time.perf_counter() - started)
        assert result.due == 0
    print(
        f"  none crossing ({TOTAL:,} cases, {OPEN:,} clocks running): median {statistics.median(times) * 1000:.1f} ms,"
        f" worst {max(times) * 1000:.1f} ms over {len(times)} runs (target < 50 ms)"
    )


def warm_up(t) -> None:
    """One small sweep first, as a long-running worker has done (URL resolver, catalogs, plans)."""
    from incidents.services.sweep import sweep

    arrange(t)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_case SET sla_next_check_at = sla_next_check_at + interval '1 day'"
            " WHERE sla_next_check_at <= %s AND id NOT IN (SELECT id FROM incidents_case"
            " WHERE sla_next_check_at <= %s ORDER BY id LIMIT 20)",
            [t, t],
        )
    started = time.perf_counter()
    result = sweep(now=t)
    print(f"  warm-up: {result.claimed} cases in {(time.perf_counter() - started) * 1000:.0f} ms (a fresh process)")


def measure_crossing(t, runs: int = 5) -> None:
    from incidents.services.sweep import sweep
    from notifications.models import Notification

    times = []
    for run in range(1, runs + 1):
        arrange(t)
        started = time.perf_counter()
        result = sweep(now=t)
        took = time.perf_counter() - started
        times.append(took)
        notes = Notification.objects.count()
        print(
            f"  1 % crossing, run {run}: {took:.2f} s for {result.claimed:,} cases"
            f" (steps {dict(result.steps)}, {notes:,} notifications, failed {result.failed})"
        )
    print(f"  1 % crossing: median {statistics.median(times):.2f} s, worst {max(times):.2f} s (target < 2 s)")


def main() -> None:
    from django.conf import settings
    from django.utils import timezone

    # No delivery tasks: no worker reads this database, and a worker of another database
    # must not be handed its ids (queuing one task per batch and adapter costs ~1 ms).
    settings.NOTIFICATION_ADAPTERS = []
    print(f"  database {use_database(DB_NAME)}")
    ensure_city()
    ensure_cases()
    t = timezone.now()
    arrange(t)
    print(f"  due query: {due_query_plan(t)}")
    measure_none_due(t)
    warm_up(t)
    measure_crossing(t)
    clear_sla_effects()
