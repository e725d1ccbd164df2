"""The monthly evaluation at scale: a year of 1,000,000 cases, about 100,000 rounds a month.

In a benchmark database of its own (``BENCH_EVALUATION_DB``, default
``gridcenter_bench_evaluation``), created with the migrations and kept between runs, so the
history is written once: the demo city's grids, departments and people, and
``BENCH_EVALUATION_CASES`` cases (default 1,000,000) spread over the last 365 days, each
with its timeline as the domain writes it (report, accept, dispatch with the department's
code and the deadline, start, resolve or return and redispatch, approve with a rating):
``INSERT ... SELECT generate_series`` (``bench/evaluation_history.py``).

Measured for the last complete month: every subject kind computed from the timeline on
request (what a reader pays when the provisional cache is cold), the rounds behind one
department's ``due``, a read from the provisional cache, publishing the month as the beat
task does (``BENCH_EVALUATION_PUBLISH_RUNS`` times, each undone: the median, and each
phase's as ``publishing`` logs them), and the published month read as the pages read it. Targets: publishing under
10 s, each page's read under 300 ms.

Run: ``make bench BENCH=evaluation`` (``BENCH_EVALUATION_CASES=100000`` for a quick look).
"""

from __future__ import annotations

import functools
import logging
import os
import statistics
import time
from collections.abc import Callable

from bench.dashboard_history import ensure_city
from bench.databases import use_database
from bench.evaluation_history import ensure_history

DB_NAME = os.environ.get("BENCH_EVALUATION_DB", "gridcenter_bench_evaluation")
TOTAL = int(os.environ.get("BENCH_EVALUATION_CASES", "1000000"))
# How many times the month is published (each undone), for the median; 0 skips the
# subject kinds computed each on its own (publishing alone).
PUBLISH_RUNS = int(os.environ.get("BENCH_EVALUATION_PUBLISH_RUNS", "3"))
EACH_KIND = os.environ.get("BENCH_EVALUATION_EACH_KIND", "1") == "1"


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
    if EACH_KIND:
        each_kind(period, read.compute("departments", period)[0]["key"])
    publish_and_read(period)


def each_kind(period, department: str) -> None:
    """Every subject kind computed from the timeline on request, then read from the cache."""
    from evaluation.services import read

    total = 0.0
    for subject in read.SUBJECTS:  # a cache miss: the kind computed from the timeline on request
        seconds, rows = timed(functools.partial(read.compute, subject, period), runs=1)
        total += seconds
        print(f"  {period} {subject} computed: {len(rows):,} rows in {seconds * 1000:.0f} ms")
    print(f"  every kind, each on its own: {total:.1f} s")
    seconds, rounds = timed(lambda: read.rounds(period, "departments", department, "due"), runs=1)
    print(f"  rounds behind {department}'s due figure computed: {len(rounds):,} in {seconds * 1000:.0f} ms")
    read.rows(period, "departments")  # stored in the provisional cache
    seconds, _rows = timed(lambda: read.rows(period, "departments"))
    print(f"  {period} departments from the provisional cache: median {seconds * 1000:.1f} ms")


class _Phases(logging.Handler):
    """Keeps the phase timings ``publishing.publish`` logs."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[dict[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        phases = getattr(record, "phases", None)
        if phases:
            self.runs.append(phases)


def publish_and_read(period) -> None:
    """Publishing the month as the beat task does (the month's rounds read once), the
    published month read as the pages read it, then all undone (the next run publishes again)."""
    from django.db import transaction

    from evaluation.services import publishing

    handler = _Phases()
    logger = logging.getLogger(publishing.__name__)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    times = []
    for run in range(max(PUBLISH_RUNS, 1)):
        with transaction.atomic():
            started = time.perf_counter()
            publishing.publish(period)
            times.append(time.perf_counter() - started)
            phases = "; ".join(f"{phase} {seconds:.2f}" for phase, seconds in handler.runs[-1].items())
            print(f"  publishing {period}, run {run + 1}: {times[-1]:.1f} s ({phases})", flush=True)
            if run < PUBLISH_RUNS - 1:
                transaction.set_rollback(True)
                continue
            read_published(period)
            transaction.set_rollback(True)
    logger.removeHandler(handler)
    seconds = statistics.median(times)
    verdict = "met" if seconds < 10 else "NOT met"
    print(f"  publishing {period} (every kind and its rounds, frozen): median {seconds:.1f} s (goal < 10 s: {verdict})")
    for phase in handler.runs[0]:
        print(f"    {phase}: median {statistics.median(run[phase] for run in handler.runs):.2f} s")


def read_published(period) -> None:
    from evaluation.services import read

    for subject in ("departments", "officers", "workers", "grids"):
        seconds, rows = timed(functools.partial(read.rows, period, subject))
        print(f"  published {subject}: {len(rows):,} rows, median {seconds * 1000:.1f} ms")
    department = read.rows(period, "departments")[0]["key"]
    seconds, rounds = timed(lambda: read.rounds(period, "departments", department, "due"))
    print(f"  published rounds behind {department}'s due: {len(rounds):,}, median {seconds * 1000:.1f} ms")
