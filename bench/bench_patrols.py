"""Field work: track-point ingestion from 2,018 phones, and the phone's report page on slow 3G.

1. Track upload. The demo city (2,018 grid workers, in its own database
   ``BENCH_PATROLS_DB``, written once and kept) gets one open patrol per worker. A
   gunicorn server (``BENCH_WORKERS`` sync workers, persistent database connections)
   then takes, over HTTP with token authentication:
   - the real schedule: every worker sends a batch of 30 points every 30 s, each at its
     own phase, from ``BENCH_PATROLS_CLIENTS`` client threads (keep-alive connections)
     for ``BENCH_PATROLS_SECONDS`` — points/s ingested, latency, lag behind the schedule;
   - saturation: wrk with as many batches as the server takes (``BENCH_DURATION``),
     rotating through the workers — the capacity in points/s and the headroom over the
     2,018 points/s the schedule needs.
   The client runs on the same machine as the server (and PostgreSQL): its CPU is the
   server's loss, so the figures are a floor.
2. The report page (/m/report/) in headless Chromium under Chrome's "Slow 3G" profile
   (CDP Network.emulateNetworkConditions: 2,000 ms latency, 50,000 B/s each way), served
   as in production (gunicorn, WhiteNoise with compressed, hashed static files). Bytes
   are counted on the wire by a TCP proxy in front of the server (every response byte,
   headers included, the service worker's fetches too): the first load (empty caches),
   then a repeat load (HTTP cache and service worker). Time to interactive is when the
   form answers (report.js has wired it: ``window.mReady``), from the navigation start;
   the map (Leaflet) arrives later and is reported apart; figures are the median of three
   phones (fresh browser contexts). Map tiles are not counted: they
   come from the tile server, not from this application (a local URL that answers 404
   stands in for it).
"""

from __future__ import annotations

import heapq
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get("BENCH_PATROLS_DB", "gridcenter_bench_patrols")
SECONDS = int(os.environ.get("BENCH_PATROLS_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_PATROLS_CLIENTS", "48"))
SERVER_WORKERS = os.environ.get("BENCH_WORKERS", "4")
WRK_DURATION = os.environ.get("BENCH_DURATION", "15s")
BATCH = 30
PERIOD = 30.0
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
TARGET_FIRST, TARGET_REPEAT = 500_000, 100_000


@dataclass
class Phone:
    user_id: int
    token: str
    patrol: int
    lat: float
    lng: float
    seq: int = 0


# --- set-up ------------------------------------------------------------------------------------


def use_database(name: str) -> None:
    """Switch the default connection to the benchmark database (created and migrated once)."""
    connection.close()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("ORIGINAL_NAME", settings_dict["NAME"])
    settings_dict["NAME"] = settings_dict["ORIGINAL_NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)


def database_url() -> str:
    return settings.DATABASE_URL.rsplit("/", 1)[0] + "/" + DATABASE


def gunicorn(port: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gridcenter.wsgi:application", "--workers", SERVER_WORKERS,
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def prepare_phones() -> list[Phone]:
    """A token and one fresh open patrol for every grid worker of the demo city."""
    from rest_framework.authtoken.models import Token

    from bench.bench_grids import ensure_city
    from gridcenter.realtime import muted
    from grids.models import Grid, GridWorker
    from patrols.choices import PatrolStatus
    from patrols.models import Patrol
    from patrols.services import start_patrol, stop_patrol

    ensure_city(1)
    started = time.perf_counter()
    centres = {
        grid.pk: (grid.boundary.point_on_surface.y, grid.boundary.point_on_surface.x)
        for grid in Grid.objects.active().only("id", "boundary")
    }
    phones = []
    with muted():
        for patrol in Patrol.objects.filter(status=PatrolStatus.ACTIVE).select_related("worker"):
            stop_patrol(patrol.worker, patrol)
        workers = GridWorker.objects.select_related("user").prefetch_related("grids").order_by("user__username")
        for profile in workers:
            grids = [grid for grid in profile.grids.all() if grid.pk in centres]
            if not grids:
                continue
            token, _created = Token.objects.get_or_create(user=profile.user)
            patrol = start_patrol(profile.user, grid=grids[0].pk).patrol
            lat, lng = centres[grids[0].pk]
            phones.append(Phone(profile.user_id, token.key, patrol.pk, lat, lng))
    print(f"  {len(phones):,} workers, each with a token and an open patrol ({time.perf_counter() - started:.1f} s)")
    return phones


def batch(phone: Phone, rng: random.Random) -> bytes:
    """The next 30 one-second fixes of a phone walking through its grid."""
    now = datetime.now(UTC)
    points = []
    for index in range(BATCH):
        phone.lat += rng.uniform(-0.00002, 0.00003)
        phone.lng += rng.uniform(-0.00002, 0.00003)
        recorded = now - timedelta(seconds=BATCH - index)
        points.append(
            {
                "seq": phone.seq,
                "recorded_at": recorded.isoformat(timespec="seconds"),
                "lat": round(phone.lat, 7),
                "lng": round(phone.lng, 7),
                "accuracy": round(rng.uniform(4, 30), 1),
            }
        )
        phone.seq += 1
    return json.dumps({"points": points}).encode()


# --- 1. track upload on the real schedule ------------------------------------------------------------


class ScheduledClient(threading.Thread):
    """Sends the batches of its share of the phones, each every 30 s at its own phase."""

    def __init__(self, port: int, phones: list[Phone], start: float, until: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.phones, self.until = port, phones, until
        self.rng = random.Random(seed)
        self.due = [(start + self.rng.uniform(0, PERIOD), index) for index in range(len(phones))]
        heapq.heapify(self.due)
        self.latencies: list[float] = []
        self.lags: list[float] = []
        self.statuses: dict[int, int] = {}
        self.points = 0

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while self.due:
            when, index = heapq.heappop(self.due)
            if when >= self.until:
                break
            pause = when - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            phone = self.phones[index]
            body = batch(phone, self.rng)
            headers = {"Authorization": f"Token {phone.token}", "Content-Type": "application/json"}
            sent = time.monotonic()
            self.lags.append(max(0.0, sent - when))
            try:
                conn.request("POST", f"/api/v1/patrols/{phone.patrol}/points/", body, headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = 0
            self.latencies.append((time.monotonic() - sent) * 1000)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.points += BATCH
            heapq.heappush(self.due, (when + PERIOD, index))
        conn.close()


def stored_points() -> int:
    from patrols.models import TrackPoint

    return TrackPoint.objects.count()


def scheduled(port: int, phones: list[Phone]) -> None:
    before = stored_points()
    start = time.monotonic() + 1
    until = start + SECONDS
    shares = [phones[i::CLIENTS] for i in range(CLIENTS)]
    clients = [ScheduledClient(port, share, start, until, seed) for seed, share in enumerate(shares) if share]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = SECONDS
    latencies = sorted(lat for client in clients for lat in client.latencies)
    lags = sorted(lag for client in clients for lag in client.lags)
    statuses: dict[int, int] = {}
    for client in clients:
        for status, count in client.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    stored = stored_points() - before
    q = statistics.quantiles(latencies, n=100)
    print(
        f"  schedule ({len(phones):,} phones × {BATCH} points / {PERIOD:.0f} s, {SECONDS} s, {len(clients)} client "
        f"threads): {len(latencies):,} batches, {stored:,} points stored = {stored / elapsed:,.0f} points/s "
        f"(needed: {len(phones) * BATCH / PERIOD:,.0f}); latency p50 {q[49]:.0f} ms, p95 {q[94]:.0f} ms, "
        f"p99 {q[98]:.0f} ms; lag behind schedule p99 {statistics.quantiles(lags, n=100)[98] * 1000:.0f} ms, "
        f"max {lags[-1] * 1000:.0f} ms; statuses {statuses}"
    )


# --- 1b. saturation with wrk -----------------------------------------------------------------------------

_WRK_SCRIPT = """
local phones = {%(phones)s}
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  mine = {}
  for i = 1, #phones do
    if (i - 1) %% %(nthreads)d == tid then mine[#mine + 1] = phones[i] end
  end
  cursor = 0
end
function request()
  cursor = cursor %% #mine + 1
  local p = mine[cursor]
  local base = os.time() - 40
  local parts = {}
  for i = 0, %(batch)d - 1 do
    parts[#parts + 1] = string.format(
      '{"seq":%%d,"recorded_at":"%%s","lat":%%.7f,"lng":%%.7f,"accuracy":8}',
      p[3] + i, os.date("!%%Y-%%m-%%dT%%H:%%M:%%SZ", base + i), p[5] + 0.00001 * (p[3] + i), p[6])
  end
  p[3] = p[3] + %(batch)d
  return wrk.format("POST", "/api/v1/patrols/" .. p[4] .. "/points/",
    {["Authorization"] = "Token " .. p[1], ["Content-Type"] = "application/json"},
    '{"points":[' .. table.concat(parts, ",") .. ']}')
end
"""


def saturation(port: int, phones: list[Phone]) -> None:
    if not shutil.which("wrk"):
        print("  (wrk not installed: no saturation figure)")
        return
    nthreads = 2
    rows = ",".join(
        f'{{"{p.token}",{p.user_id},{p.seq + 1_000_000},{p.patrol},{p.lat:.7f},{p.lng:.7f}}}' for p in phones
    )
    script = _WRK_SCRIPT % {"phones": rows, "nthreads": nthreads, "batch": BATCH}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    before = stored_points()
    started = time.monotonic()
    out = subprocess.run(
        [
            "wrk",
            f"-t{nthreads}",
            "-c32",
            "-d",
            WRK_DURATION,
            "--latency",
            "-s",
            handle.name,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    elapsed = time.monotonic() - started
    os.unlink(handle.name)
    stored = stored_points() - before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(
        f"  saturation (wrk -t{nthreads} -c32 -d{WRK_DURATION}): {rate:,.0f} batches/s = {rate * BATCH:,.0f} points/s "
        f"offered; {stored / elapsed:,.0f} points/s stored; p50 {p50}, p99 {p99}"
        + (f", {errors.group(1)} non-2xx" if errors else "")
        + f"; headroom ×{stored / elapsed / (len(phones) * BATCH / PERIOD):.1f} over the schedule"
    )


# --- 2. the report page on slow 3G -------------------------------------------------------------------------


class CountingProxy:
    """A TCP proxy that counts the bytes the server sends (what a phone downloads)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.down = 0
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        with self.lock:
            value, self.down = self.down, 0
        return value

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, count: bool) -> None:
        try:
            while data := source.recv(65536):
                if count:
                    with self.lock:
                        self.down += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


# scripts/setup.sh copies leaflet.markercluster.js without the source map it names, which
# the production static storage (hashed names) refuses; the bench adds the npm folder.
_SETTINGS = """
from gridcenter.settings import *  # noqa: F403

STATICFILES_DIRS = [*STATICFILES_DIRS, ("vendor/markercluster", {markercluster!r})]  # noqa: F405
"""


def production_env(port: int) -> dict:
    """Production settings, as deployed behind nginx, but on plain HTTP on this machine."""
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    markercluster = str(ROOT / "node_modules" / "leaflet.markercluster" / "dist")
    (static_root / "bench_patrols_settings.py").write_text(_SETTINGS.format(markercluster=markercluster))
    return {
        **os.environ,
        "PYTHONPATH": f"{static_root}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_patrols_settings",
        "GRIDCENTER_ENV": "production",
        # The bench's own key: the session it creates for the browser must be valid there.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(static_root / "static"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "PROXY_COUNT": "0",
        "MAP_TILE_URL": f"http://127.0.0.1:{port}/no-tiles/{{z}}/{{x}}/{{y}}.png",
    }


def session_cookie(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": "127.0.0.1",
        "path": "/",
    }


def load(page, url: str, proxy: CountingProxy) -> dict:
    """Open ``url`` throttled: when the form answers, when the map has drawn, the bytes so far."""
    page.goto(url, wait_until="commit")
    page.wait_for_function("window.mReady === true", timeout=120_000)
    interactive = page.evaluate("performance.now()")
    bytes_interactive = proxy.down
    page.wait_for_selector(".leaflet-marker-icon", state="attached", timeout=120_000)
    mapped = page.evaluate("performance.now()")
    page.wait_for_load_state("load", timeout=120_000)
    timing = page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()"
    )
    return {"tti": interactive, "map": mapped, "bytes_tti": bytes_interactive, **timing}


def visit(browser, base: str, proxy: CountingProxy, cookie: dict) -> tuple[dict, dict]:
    """One phone, empty caches: the report page, then home, then the report page again."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="zh-CN",
        geolocation={"latitude": 28.3105, "longitude": 109.7364},
        permissions=["geolocation"],
    )
    context.add_cookies([cookie])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    url = f"{base}/m/report/"
    proxy.reset()
    first = load(page, url, proxy)
    page.wait_for_timeout(8000)  # the service worker installs and precaches behind
    first["bytes"] = proxy.reset()
    page.evaluate("navigator.serviceWorker.ready")
    page.goto(f"{base}/m/", wait_until="load")  # as a worker would: home, then report again
    page.wait_for_timeout(3000)
    proxy.reset()
    repeat = load(page, url, proxy)
    page.wait_for_timeout(5000)
    repeat["bytes"] = proxy.reset()
    context.close()
    return first, repeat


def page_weight(runs: int = 3) -> None:
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from patrols.models import Patrol
    from patrols.services import stop_patrol

    user = get_user_model().objects.get(username="worker0001")
    for patrol in Patrol.objects.active().filter(worker=user):
        stop_patrol(user, patrol)  # the page as a worker not on patrol sees it (no GPS recording)
    port = free_port()
    env = production_env(port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    server = gunicorn(port, env)
    proxy = None
    results = []
    try:
        wait_for(port)
        proxy = CountingProxy(port)
        base = f"http://127.0.0.1:{proxy.port}"
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for _ in range(runs):
                results.append(visit(browser, base, proxy, session_cookie(user)))
            browser.close()
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    finally:
        if proxy:
            proxy.close()
        stop(server)
        shutil.rmtree(env["STATIC_ROOT"], ignore_errors=True)

    def median(which: int, key: str) -> float:
        return statistics.median(run[which][key] for run in results)

    def spread(which: int, key: str) -> str:
        values = sorted(run[which][key] / 1000 for run in results)
        return f"{values[0]:.1f}–{values[-1]:.1f}"

    def line(name: str, which: int, target: int) -> str:
        weight = median(which, "bytes")
        verdict = "under" if weight < target else "OVER"
        return (
            f"  {name}: {weight / 1024:,.1f} KiB on the wire ({verdict} the {target // 1000} KB target), "
            f"{median(which, 'bytes_tti') / 1024:,.1f} KiB of it before the form answers; "
            f"interactive at {median(which, 'tti') / 1000:.1f} s ({spread(which, 'tti')}), "
            f"map drawn at {median(which, 'map') / 1000:.1f} s, load event {median(which, 'load') / 1000:.1f} s"
        )

    print(f"  /m/report/ on Slow 3G (2,000 ms latency, 50 KB/s), production static files, median of {runs} phones:")
    print(line("first load (empty caches, incl. the service worker's precache)", 0, TARGET_FIRST))
    print(line("repeat load (HTTP cache + service worker)", 1, TARGET_REPEAT))


def main() -> None:
    use_database(DATABASE)
    phones = prepare_phones()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "GRIDCENTER_ENV": "development",
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    print(f"  gunicorn {SERVER_WORKERS} sync workers, {os.cpu_count()} cores shared with the clients and PostgreSQL")
    server = gunicorn(port, env)
    try:
        wait_for(port)
        time.sleep(1)
        scheduled(port, phones)
        saturation(port, phones)
    finally:
        stop(server)
    page_weight()
