"""Statistics at scale: breakdowns over a year of 1,000,000 cases.

Reuses the evaluation benchmark's history (``bench/evaluation_history.py``): the demo city
and ``BENCH_STATS_CASES`` cases (default 1,000,000) spread over the last 365 days, in a
database of its own (``BENCH_STATS_DB``, default ``gridcenter_bench_stats``).

Measured: ``stats.services.breakdown.breakdown`` over the last 365 days as a leader sees it,
by each dimension alone and by a few pairs, and the comparison (同比/环比) for the year, each
marked with where it was read: the wall screen's maintained per-day counts (``tallies``) or
a GROUP BY over the cases (``cases``). Target: each breakdown under 500 ms.

Run: ``make bench BENCH=stats`` (``BENCH_STATS_CASES=100000`` for a quick look).
"""

from __future__ import annotations

import functools
import os
import statistics
import time
from collections.abc import Callable

from bench.dashboard_history import ensure_city
from bench.databases import use_database
from bench.evaluation_history import ensure_history

DB_NAME = os.environ.get("BENCH_STATS_DB", "gridcenter_bench_stats")
TOTAL = int(os.environ.get("BENCH_STATS_CASES", "1000000"))
GOAL_MS = 500
PAIRS = (("subcategory", "month"), ("township", "month"), ("category", "status"), ("hour", "weekday"))


def timed(call: Callable[[], object], runs: int = 3) -> float:
    times: list[float] = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from accounts.roles import Role, grant
    from stats.services import tallies
    from stats.services.breakdown import ALL_DIMENSIONS, Query, breakdown, compare

    use_database(DB_NAME)
    ensure_city()
    ensure_history(TOTAL)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE incidents_case")  # the index-only scans need the visibility map
        cursor.execute("ANALYZE dashboard_tally")  # as autovacuum would after the repair's rewrite
    leader, _created = User.objects.get_or_create(username="bench-stats-leader")
    grant(leader, Role.LEADER)
    today = timezone.localdate()
    query = Query(start=today - timedelta(days=364), end=today)
    worst: dict[str, float] = {}
    for dims in [(d,) for d in ALL_DIMENSIONS] + list(PAIRS):
        q = Query(start=query.start, end=query.end, dims=dims)
        rows = breakdown(leader, q)
        ms = timed(functools.partial(breakdown, leader, q))
        path = "tallies" if tallies.answers(leader, q) else "cases"
        worst[path] = max(worst.get(path, 0.0), ms)
        line = f"{','.join(dims):<18} {len(rows.rows):>6,} rows {rows.total:>9,} cases  {ms:6.0f} ms  ({path})"
        print(f"  breakdown by {line}")
    by_township = Query(start=query.start, end=query.end, dims=("township",))
    ms = timed(lambda: compare(leader, by_township))
    print(f"  同比/环比 by township (three periods)            {ms:6.0f} ms")
    for path, ms in sorted(worst.items()):
        print(f"  slowest breakdown over a year of {TOTAL:,} cases from the {path}: {ms:.0f} ms (goal < {GOAL_MS} ms)")
