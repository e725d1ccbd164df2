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
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import multiprocessing
import os
import socket
import statistics
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from bench.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("BENCH_DASHBOARD_DB", "gridcenter_bench_dashboard")
BIG = int(os.environ.get("BENCH_DASHBOARD_CASES", "1000000"))
RATE = float(os.environ.get("BENCH_DASHBOARD_RATE", "5"))
SECONDS = float(os.environ.get("BENCH_DASHBOARD_SECONDS", "20"))
SCREENS = [int(n) for n in os.environ.get("BENCH_DASHBOARD_SCREENS", "1,50").split(",") if n]
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


# --- the database -----------------------------------------------------------------------------


def use_database(name: str) -> str:
    """Switch the default connection to a benchmark database (created with the migrations if new)."""
    connection.close()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("ORIGINAL_NAME", settings_dict["NAME"])
    settings_dict["NAME"] = settings_dict["ORIGINAL_NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    return name


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


# --- snapshot -------------------------------------------------------------------------------------


def leader():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="leader")


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


# --- latency --------------------------------------------------------------------------------------


def start_daphne(port: int) -> subprocess.Popen:
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
        stderr=open(os.environ.get("BENCH_DAPHNE_LOG", os.devnull), "w"),  # noqa: SIM115
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


async def open_websocket(port: int, path: str, cookie: str):
    """A minimal RFC 6455 client handshake (this process has Twisted's autobahn loaded by daphne)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{port}\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode()
    )
    response = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in response.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"handshake refused: {response[:80]!r}")
    return reader, writer


def client_frame(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked  # control frames: < 126 bytes


async def websocket_messages(reader, writer):
    """Yield (receive time, text) for each text message until the server closes."""
    parts: list[bytes] = []
    while True:
        try:
            head = await reader.readexactly(2)
        except asyncio.IncompleteReadError:
            return
        fin, opcode, length = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
        if length == 126:
            length = struct.unpack("!H", await reader.readexactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", await reader.readexactly(8))[0]
        payload = await reader.readexactly(length)
        if opcode == 0x8:  # close
            return
        if opcode == 0x9:  # ping → pong
            writer.write(client_frame(0xA, payload))
            continue
        if opcode in (0x1, 0x0):
            parts.append(payload)
            if fin:
                at = time.perf_counter()
                yield at, b"".join(parts).decode()
                parts = []


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
        point = worker.grids.first().boundary.point_on_surface
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
            transaction.on_commit(lambda stamp=stamp: stamp.setdefault("at", time.time()))
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
