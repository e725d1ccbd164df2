"""Event-to-screen latency: wall screens on a real daphne, reports at a steady rate."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from bench.dashboard_history import leader
from bench.servers import free_port
from bench.websocket import open_websocket, websocket_messages

ROOT = Path(__file__).resolve().parents[1]
RATE = float(os.environ.get("BENCH_DASHBOARD_RATE", "5"))
SECONDS = float(os.environ.get("BENCH_DASHBOARD_SECONDS", "20"))


def start_daphne(port: int, log: str | Path | None = None) -> subprocess.Popen:
    """daphne on the benchmark database; its output to ``log`` (or ``BENCH_DAPHNE_LOG``, else nowhere)."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "LOG_LEVEL": os.environ.get("BENCH_DAPHNE_LOG_LEVEL", "WARNING"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "gridcenter.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log or os.environ.get("BENCH_DAPHNE_LOG", os.devnull), "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("daphne did not start")


def run_screens(port: int, cookie: str, count: int, ready, stop, results) -> None:
    """A separate process holding ``count`` wall screens; puts {tracking no: receive time} per
    screen on ``results`` when ``stop`` is set. Times are ``time.time()``: one clock per machine."""

    async def screens() -> list[dict[str, float]]:
        received: list[dict[str, float]] = [{} for _ in range(count)]
        snapshots = 0

        async def listen(index: int, reader, writer) -> None:
            nonlocal snapshots
            async for _at, text in websocket_messages(reader, writer):
                at = time.time()
                message = json.loads(text)
                if message["type"] == "snapshot":
                    snapshots += 1
                    if snapshots == count:
                        ready.set()
                elif message["type"] == "case.event":
                    received[index].setdefault(message["data"]["event"]["tracking_no"], at)

        tasks = []
        for index in range(count):
            reader, writer = await open_websocket(port, "/ws/dashboard/", cookie)
            tasks.append(asyncio.create_task(listen(index, reader, writer)))
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        return received

    results.put(asyncio.run(screens()))


def report_load(rate: float, seconds: float) -> dict[str, float]:
    """Reports through the domain function at ``rate`` per second; tracking number → commit time."""
    from grids.models import GridWorker
    from incidents import services

    workers = list(GridWorker.objects.filter(grids__isnull=False).select_related("user").distinct()[:200])
    points = []
    for worker in workers:
        grid = worker.grids.first()
        assert grid is not None  # workers with grids only
        point = grid.boundary.point_on_surface
        points.append((worker.user, point.y, point.x))
    committed: dict[str, float] = {}
    started = time.perf_counter()
    index = 0
    while time.perf_counter() - started < seconds:
        due = started + index / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        user, lat, lng = points[index % len(points)]
        stamp: dict[str, float] = {}
        with transaction.atomic():
            # Registered first, so it runs first after COMMIT: the publish comes after it.
            def committed_at(stamp: dict[str, float] = stamp) -> None:
                stamp.setdefault("at", time.time())

            transaction.on_commit(committed_at)
            case = services.report_case(
                user, subcategory="0101", description="基准测试上报", lat=lat, lng=lng, client_uuid=uuid.uuid4()
            ).case
        committed[case.tracking_no] = stamp["at"]
        index += 1
    return committed


def measure_latency(screens: int) -> None:
    from django.test import Client

    client = Client()
    client.force_login(leader())
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    daphne = start_daphne(port)
    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    process = context.Process(target=run_screens, args=(port, cookie, screens, ready, stop, results))
    try:
        process.start()
        if not ready.wait(60):
            raise RuntimeError(f"the {screens} screens did not all get a snapshot")
        time.sleep(0.5)
        committed = report_load(RATE, SECONDS)
        time.sleep(2)
        stop.set()
        received_by_screen = results.get(timeout=30)
        process.join(10)
    finally:
        daphne.terminate()
        daphne.wait(10)
    latencies = []
    missing = 0
    for received in received_by_screen:
        for tracking_no, at in committed.items():
            if tracking_no in received:
                latencies.append((received[tracking_no] - at) * 1000)
            else:
                missing += 1
    if not latencies:
        print(f"  {screens:>2} screen(s): no case event reached a screen ({len(committed)} reports)")
        return
    latencies.sort()
    p50 = latencies[len(latencies) // 2]
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"  {screens:>2} screen(s), {len(committed)} reports at {RATE:g}/s: commit → screen"
        f" p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms"
        f" ({len(latencies)} messages, {missing} missing)"
    )
