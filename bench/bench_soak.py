"""The live channel over time: wall screens and user sockets held open under a trickle of events.

In a benchmark database of its own (``BENCH_SOAK_DB``, default ``gridcenter_bench_soak``, the
demo city, written once), a real daphne (``gridcenter.asgi``, channels-redis on ``REDIS_URL``)
serves ``BENCH_SOAK_SCREENS`` wall screens (default 50, signed in as the leader) and
``BENCH_SOAK_USERS`` user sockets (default 200, one per grid worker), held by a second process
(``bench/soak_pages.py``) for ``BENCH_SOAK_SECONDS`` (default 1,800: 30 minutes). Meanwhile
the workers report cases through ``incidents.services.report_case``, one every
``1 / BENCH_SOAK_RATE`` seconds (default 0.5 a second), in turn: each report goes to every
screen and to its reporter's socket; and every ``BENCH_SOAK_DIRECTIVE_SECONDS`` (default 60)
the dispatcher sends a directive to all the connected workers.

Reported, all of which must be 0: unintended closes (a socket the server closed, or whose
connection ended, before the end), lost messages (an event a socket was sent and never got)
and gaps (runs of consecutive lost messages on one socket: how many times a page would have
shown stale figures); with the commit → socket latency and the errors in daphne's log.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid

from django.conf import settings
from django.db import transaction

from bench.dashboard_history import ensure_city, leader
from bench.dashboard_latency import start_daphne
from bench.databases import use_database
from bench.servers import free_port, server_log
from bench.soak_pages import run_pages

DB_NAME = os.environ.get("BENCH_SOAK_DB", "gridcenter_bench_soak")
SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "1800"))
SCREENS = int(os.environ.get("BENCH_SOAK_SCREENS", "50"))
USERS = int(os.environ.get("BENCH_SOAK_USERS", "200"))
RATE = float(os.environ.get("BENCH_SOAK_RATE", "0.5"))
DIRECTIVE_SECONDS = float(os.environ.get("BENCH_SOAK_DIRECTIVE_SECONDS", "60"))
GRACE_SECONDS = 5
LOG_ERRORS = ("Traceback", "Timeout reading", "MaxConnectionsError", "could not publish", "live channel:")


def cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def workers_with_points(count: int) -> list[tuple]:
    """``count`` grid workers with a point inside one of their grids: (user, lat, lng)."""
    from grids.models import GridWorker

    found = []
    for worker in GridWorker.objects.filter(grids__isnull=False).select_related("user").distinct()[:count]:
        grid = worker.grids.first()
        assert grid is not None  # workers with grids only
        point = grid.boundary.point_on_surface
        found.append((worker.user, point.y, point.x))
    if len(found) < count:
        raise RuntimeError(f"the demo city has {len(found)} grid workers with grids, not {count}")
    return found


def committed_report(user, lat: float, lng: float) -> tuple[str, float]:
    """A report through the domain function; its tracking number and its commit time."""
    from incidents import services

    stamp: dict[str, float] = {}
    with transaction.atomic():
        transaction.on_commit(lambda: stamp.setdefault("at", time.time()))  # runs before the publish
        case = services.report_case(
            user, subcategory="0101", description="长时间连接测试上报", lat=lat, lng=lng, client_uuid=uuid.uuid4()
        ).case
    return f"case:{case.tracking_no}", stamp["at"]


def committed_directive(sender, worker_ids: list[int]) -> tuple[str, float]:
    from patrols import services
    from patrols.choices import DirectiveTarget

    stamp: dict[str, float] = {}
    with transaction.atomic():
        transaction.on_commit(lambda: stamp.setdefault("at", time.time()))
        directive = services.send_directive(
            sender, text="长时间连接测试：请留意", target=DirectiveTarget.WORKERS, target_ids=worker_ids
        )
    return f"directive:{directive.pk}", stamp["at"]


def drive(workers: list[tuple], sender) -> list[tuple[str, list[int], float]]:
    """The trickle: (event key, the sockets it goes to, commit time) for every event sent."""
    sent: list[tuple[str, list[int], float]] = []
    screens = list(range(SCREENS))
    users = [SCREENS + index for index in range(len(workers))]
    started = time.monotonic()
    reports = directives = 0
    next_progress = 60.0
    while (elapsed := time.monotonic() - started) < SECONDS:
        if directives * DIRECTIVE_SECONDS <= elapsed:
            key, at = committed_directive(sender, [user.pk for user, _lat, _lng in workers])
            sent.append((key, users, at))
            directives += 1
        elif reports / RATE <= elapsed:
            user, lat, lng = workers[reports % len(workers)]
            key, at = committed_report(user, lat, lng)
            sent.append((key, [*screens, SCREENS + reports % len(workers)], at))
            reports += 1
        else:
            time.sleep(min(reports / RATE, directives * DIRECTIVE_SECONDS) - elapsed)
        if elapsed >= next_progress:
            print(f"  … {elapsed / 60:.0f} min: {reports} reports, {directives} directives", flush=True)
            next_progress += 60
    return sent


def tally(sent, received: list[dict[str, float]]) -> dict:
    """Lost messages, gaps (runs of consecutive losses on one socket) and latencies."""
    latencies, lost, gaps = [], 0, 0
    missing_run = [False] * len(received)
    for key, audience, at in sent:
        for index in audience:
            if key in received[index]:
                latencies.append((received[index][key] - at) * 1000)
                missing_run[index] = False
            else:
                lost += 1
                gaps += not missing_run[index]
                missing_run[index] = True
    latencies.sort()
    return {"lost": lost, "gaps": gaps, "latencies": latencies}


def log_errors(log) -> int:
    text = log.read_text(errors="replace")
    return sum(text.count(marker) for marker in LOG_ERRORS)


def hold_pages(port: int, workers: list[tuple]) -> tuple[list, dict]:
    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    user_cookies = [cookie(user) for user, _lat, _lng in workers]
    args = (port, cookie(leader()), SCREENS, user_cookies, ready, stop, results)
    pages = context.Process(target=run_pages, args=args)
    pages.start()
    opened = ready.wait(180)
    sent = []
    try:
        if opened:
            from django.contrib.auth import get_user_model

            sent = drive(workers, get_user_model().objects.get(username="dispatcher"))
            time.sleep(GRACE_SECONDS)
    finally:
        stop.set()
        outcome = results.get(timeout=120)
        pages.join(30)
    if not opened:
        failed = outcome["closes"][:10]
        raise RuntimeError(f"{outcome['opened']} of {SCREENS + USERS} sockets opened; failed: {failed}")
    return sent, outcome


def main() -> None:
    print(f"  database {use_database(DB_NAME)}: the demo city")
    ensure_city()
    workers = workers_with_points(USERS)
    port, log = free_port(), server_log("soak-daphne")
    daphne = start_daphne(port, log)
    started = time.monotonic()
    try:
        sent, outcome = hold_pages(port, workers)
    finally:
        daphne.terminate()
        daphne.wait(30)
    held = time.monotonic() - started
    figures = tally(sent, outcome["received"])
    latencies = figures["latencies"] or [0.0]
    deliveries = sum(len(audience) for _key, audience, _at in sent)
    print(
        f"  {SCREENS} screens + {USERS} user sockets held {held / 60:.1f} min ({SECONDS / 60:g} min of events):"
        f" {sum(key.startswith('case:') for key, _a, _t in sent)} reports,"
        f" {sum(key.startswith('directive:') for key, _a, _t in sent)} directives, {deliveries:,} deliveries"
    )
    print(
        f"  unintended closes {len(outcome['closes'])}, gaps {figures['gaps']}, lost {figures['lost']};"
        f" commit → socket p50 {latencies[len(latencies) // 2]:.0f} ms,"
        f" p95 {latencies[max(int(len(latencies) * 0.95) - 1, 0)]:.0f} ms, max {latencies[-1]:.0f} ms;"
        f" daphne log: {log_errors(log)} errors ({log})"
    )
    if outcome["closes"]:
        print(f"  closes (socket, code, time): {outcome['closes'][:10]}")
