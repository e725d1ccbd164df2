"""Track upload: every phone on the real schedule, then wrk at saturation."""

from __future__ import annotations

import heapq
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

from bench.patrols_setup import BATCH, PERIOD, Phone, batch
from bench.servers import wrk_figure

SECONDS = int(os.environ.get("BENCH_PATROLS_SECONDS", "60"))
CLIENTS = int(os.environ.get("BENCH_PATROLS_CLIENTS", "48"))
WRK_DURATION = os.environ.get("BENCH_DURATION", "15s")


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
    rate = float(wrk_figure(r"Requests/sec:\s+([\d.]+)", out))
    p50 = wrk_figure(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = wrk_figure(r"^\s+99%\s+(\S+)", out, re.M)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    print(
        f"  saturation (wrk -t{nthreads} -c32 -d{WRK_DURATION}): {rate:,.0f} batches/s = {rate * BATCH:,.0f} points/s "
        f"offered; {stored / elapsed:,.0f} points/s stored; p50 {p50}, p99 {p99}"
        + (f", {errors.group(1)} non-2xx" if errors else "")
        + f"; headroom ×{stored / elapsed / (len(phones) * BATCH / PERIOD):.1f} over the schedule"
    )
