"""The wall screen: event-to-screen latency, and the snapshot's time and size at scale.

In benchmark databases of its own (``BENCH_DASHBOARD_DB``, default ``gridcenter_bench_dashboard``,
and the same name suffixed with the big case count), created with the migrations and kept
between runs, so each history is written once:

1. Latency. The demo city with the seed city's history (1,544 synthetic cases: 1,133 closed,
   339 pending review, 48 being handled, 24 other) is served by a real daphne process
   (``gridcenter.asgi``) with channels-redis. 1 and then 50 WebSocket screens sign in as
   the leader; a steady load of reports (``BENCH_DASHBOARD_RATE`` per second for
   ``BENCH_DASHBOARD_SECONDS``) goes through ``incidents.services.report_case``; the latency
   of each (event, screen) pair is from the report's COMMIT to the ``case.event`` message
   arriving at the screen (both clocks are this process's).
2. Snapshot. ``build_snapshot`` time (median and worst of several) and its JSON size (raw
   and gzipped), with the demo history and with ``BENCH_DASHBOARD_CASES`` (default
   1,000,000) cases. The big history is written with ``INSERT ... SELECT generate_series``
   (cases and their timeline rows); the statement-level triggers count it as it goes in,
   and the rollup check then compares the counts with the truth.

Targets: p95 < 500 ms with 50 screens; snapshot < 200 ms at 1,000,000 cases.

The data is written by ``bench/dashboard_history.py``; the latency is measured by
``bench/dashboard_latency.py`` (with the WebSocket client of ``bench/websocket.py``).
"""

from __future__ import annotations

import gzip
import os
import statistics
import time

from bench.dashboard_history import DEMO_PLAN, big_plan, ensure_city, ensure_history, leader
from bench.dashboard_latency import measure_latency
from bench.databases import use_database

DB_NAME = os.environ.get("BENCH_DASHBOARD_DB", "gridcenter_bench_dashboard")
BIG = int(os.environ.get("BENCH_DASHBOARD_CASES", "1000000"))
SCREENS = [int(n) for n in os.environ.get("BENCH_DASHBOARD_SCREENS", "1,50").split(",") if n]


# --- snapshot -------------------------------------------------------------------------------------


def measure_snapshot(label: str, runs: int = 7) -> None:
    from dashboard import rollups
    from dashboard.live import encode
    from dashboard.snapshot import build_snapshot

    rollups.fold()
    user = leader()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        snapshot = build_snapshot(user)
        times.append(time.perf_counter() - started)
    text = encode("snapshot", snapshot).encode()
    print(
        f"  snapshot, {label} ({snapshot['figures']['received']:,} cases):"
        f" median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms;"
        f" {len(text) / 1024:.0f} KiB JSON, {len(gzip.compress(text)) / 1024:.0f} KiB gzipped;"
        f" {len(snapshot['markers'])} markers, figures {snapshot['figures']}"
    )


def measure_check(label: str) -> None:
    from dashboard import rollups

    started = time.perf_counter()
    differences = rollups.check()
    print(
        f"  rollup check, {label}: {len(differences)} differences from the truth"
        f" ({time.perf_counter() - started:.1f} s to recount everything)"
    )


def main() -> None:
    print(f"  database {use_database(DB_NAME)}: the demo city with the seed city's history")
    ensure_city()
    ensure_history(DEMO_PLAN, span_days=60)
    measure_snapshot("demo city")
    measure_check("demo city")
    for screens in SCREENS:
        measure_latency(screens)
    if BIG:
        print(f"  database {use_database(f'{DB_NAME}_{BIG}')}: the demo city with {BIG:,} cases over two years")
        ensure_city()
        ensure_history(big_plan(BIG), span_days=730)
        measure_snapshot("big history")
        measure_check(f"{BIG:,} cases")
