"""The monthly evaluation at scale: a year of 1,000,000 cases, about 100,000 rounds a month.

In a benchmark database of its own (``BENCH_EVALUATION_DB``, default
``gridcenter_bench_evaluation``), created with the migrations and kept between runs, so the
history is written once: the demo city's grids, departments and people, and
``BENCH_EVALUATION_CASES`` cases (default 1,000,000) spread over the last 365 days, each
with its timeline as the domain writes it (report, accept, dispatch with the department's
code and the deadline, start, resolve or return and redispatch, approve with a rating):
``INSERT ... SELECT generate_series`` (``bench/evaluation_history.py``).

Measured for the last complete month: the departments', officers' and townships' rows
(``evaluation.services.read.rows``, each one SQL aggregate), median of three runs each, and
the rounds behind one department's ``due`` figure. Target: the whole month (every subject
kind) under 10 s, each answer under 300 ms is the pages' target once published (frozen rows).

Run: ``make bench BENCH=evaluation`` (``BENCH_EVALUATION_CASES=100000`` for a quick look).
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

DB_NAME = os.environ.get("BENCH_EVALUATION_DB", "gridcenter_bench_evaluation")
TOTAL = int(os.environ.get("BENCH_EVALUATION_CASES", "1000000"))


def timed(call: Callable[[], list[dict]], runs: int = 3) -> tuple[float, list[dict]]:
    times: list[float] = []
    result: list[dict] = []
    for _run in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    from django.utils import timezone

    from evaluation.periods import period_of
    from evaluation.services import read

    use_database(DB_NAME)
    ensure_city()
    ensure_history(TOTAL)
    period = period_of(timezone.now()).previous()
    total = 0.0
    for subject in ("departments", "officers", "townships"):
        seconds, rows = timed(functools.partial(read.rows, period, subject))
        due = sum(row["due"] for row in rows)
        total += seconds
        print(f"  {period} {subject}: {len(rows)} rows, {due:,} due rounds, median {seconds * 1000:.0f} ms")
    top = read.rows(period, "departments")[0]
    seconds, rounds = timed(lambda: read.rounds(period, "departments", top["key"], "due"))
    print(f"  rounds behind {top['key']}'s due figure: {len(rounds):,} in {seconds * 1000:.0f} ms")
    print(f"  the three subject kinds, each on its own: {total:.1f} s")
    publishing = publish_seconds(period)
    verdict = "met" if publishing < 10 else "NOT met"
    print(f"  publishing {period} (every kind and its rounds, frozen): {publishing:.1f} s (goal < 10 s: {verdict})")


def publish_seconds(period) -> float:
    """Publishing the month as the beat task does (the month's rounds read once), then undone."""
    from django.db import transaction

    from evaluation.services import publishing

    started = time.perf_counter()
    with transaction.atomic():
        publishing.publish(period)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)  # the benchmark publishes again next time
    return seconds
