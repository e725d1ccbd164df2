"""Point → grid lookups, the locate endpoint, grid GeoJSON and the city generator.

For the demo city (688 grids) and a synthetic ~100,000-grid city (``BENCH_GRIDS_SCALE``,
default 146; 0 skips it), each in its own benchmark database (``gridcenter_bench_s<scale>``,
created with the migrations and kept between runs, so only the first run writes it):

- the generator's time (in memory) and the time to write the city;
- ``grids.services.locate`` lookups per second on random points in the city's bounding
  box plus shared vertices of the grids (the hard case), and its agreement, point by
  point, with an in-process reference: a shapely STRtree with the same rule (covers,
  lowest code wins);
- the locate endpoint's p50/p99 latency through Django's full stack (in process), and,
  when ``wrk`` is installed, requests per second from gunicorn over HTTP;
- the size (raw and gzipped) and build time of the GeoJSON of all grids, unsimplified
  and simplified for wall-screen zoom levels.
"""

from __future__ import annotations

import gzip
import logging
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

POINTS = int(os.environ.get("BENCH_GRIDS_POINTS", "3000"))
BIG_SCALE = int(os.environ.get("BENCH_GRIDS_SCALE", "146"))
ROOT = Path(__file__).resolve().parents[1]


def use_database(scale: int) -> str:
    """Switch the default connection to this scale's benchmark database (created if needed)."""
    connection.close()
    name = f"gridcenter_bench_s{scale}"
    settings_dict = connection.settings_dict
    settings_dict.setdefault("ORIGINAL_NAME", settings_dict["NAME"])
    settings_dict["NAME"] = settings_dict["ORIGINAL_NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    return name


def ensure_city(scale: int) -> None:
    from django.contrib.auth.hashers import make_password

    from grids.citygen import generate_city
    from grids.demo import write_city
    from grids.management.commands.generate_city import clear_map
    from grids.models import Generation

    wanted = f"Demo city (seed 2013, scale {scale})"
    active = Generation.objects.active()
    if active is not None and active.description == wanted:
        print(f"  city of scale {scale} already in the database")
        return
    started = time.perf_counter()
    city = generate_city(scale=scale, people=scale == 1)
    generated = time.perf_counter() - started
    with transaction.atomic():
        clear_map()
        write_city(city, make_password("bench-only-password"), lambda line: None)
    written = time.perf_counter() - started - generated
    print(f"  generated scale {scale} in {generated:.1f} s, written in {written:.1f} s")


def sample_points(rng: random.Random) -> list[tuple[float, float]]:
    """Random points over the city's bounding box, plus grid vertices (shared by 2-4 grids)."""
    from grids.models import Grid

    west, south, east, north = (109.50, 28.13, 110.07, 28.49)
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(POINTS)]
    boundaries = Grid.objects.active().order_by("?").values_list("boundary", flat=True)[:200]
    for boundary in boundaries:
        lng, lat = rng.choice(boundary[0][0].coords)
        points.append((lat, lng))
    return points


def reference_answers(points: list[tuple[float, float]]) -> list[str | None]:
    """The same question answered in process: an STRtree over the grids, lowest code wins."""
    from grids.models import Grid

    rows = list(Grid.objects.active().order_by("code").values_list("code", "boundary"))
    codes = [code for code, _ in rows]
    started = time.perf_counter()
    shapes = shapely.from_wkb([bytes(boundary.wkb) for _, boundary in rows])
    tree = shapely.STRtree(shapes)
    built = time.perf_counter() - started
    query_points = shapely.points([(lng, lat) for lat, lng in points])
    started = time.perf_counter()
    point_index, grid_index = tree.query(query_points, predicate="covered_by")
    answers: list[str | None] = [None] * len(points)
    for p, g in zip(point_index, grid_index, strict=True):
        if answers[p] is None or codes[g] < answers[p]:
            answers[p] = codes[g]
    elapsed = time.perf_counter() - started
    print(
        f"  STRtree reference: built in {built * 1000:.0f} ms, "
        f"{len(points) / elapsed:,.0f} lookups/s (vectorised, in process)"
    )
    return answers


def bench_locate(points: list[tuple[float, float]]) -> None:
    from grids.services import locate

    locate(*points[0])  # warm the connection
    answers: list[str | None] = []
    started = time.perf_counter()
    for lat, lng in points:
        grid = locate(lat, lng)
        answers.append(grid.code if grid else None)
    elapsed = time.perf_counter() - started
    print(f"  locate(): {len(points) / elapsed:,.0f} lookups/s on one connection ({len(points)} points)")
    reference = reference_answers(points)
    disagree = [(p, a, r) for p, a, r in zip(points, answers, reference, strict=True) if a != r]
    inside = sum(1 for a in answers if a)
    print(f"  agreement with STRtree: {len(points) - len(disagree)}/{len(points)} ({inside} inside the city)")
    for point, a, r in disagree[:5]:
        print(f"    differs at {point}: database {a}, STRtree {r}")

    client = Client()
    latencies = []
    statuses: dict[int, int] = {}
    for lat, lng in points[:1000]:
        started = time.perf_counter()
        response = client.get("/api/v1/grids/locate/", {"lat": f"{lat:.6f}", "lng": f"{lng:.6f}"})
        latencies.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"  GET /api/v1/grids/locate/ in process: p50 {quantiles[49]:.2f} ms, p99 {quantiles[98]:.2f} ms, "
        f"{len(latencies) / (sum(latencies) / 1000):,.0f} req/s sequential; statuses {statuses}"
    )


def bench_geojson() -> None:
    from grids.services import grids_geojson, zoom_to_tolerance

    for label, tolerance in (("full", 0.0), ("zoom 13", zoom_to_tolerance(13)), ("zoom 11", zoom_to_tolerance(11))):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            text = grids_geojson(tolerance=tolerance)
            times.append(time.perf_counter() - started)
        raw = text.encode()
        print(
            f"  grids GeoJSON {label}: {len(raw) / 1024:,.0f} KiB ({len(gzip.compress(raw)) / 1024:,.0f} KiB gzipped), "
            f"built in {min(times) * 1000:,.0f} ms"
        )
    client = Client()
    started = time.perf_counter()
    response = client.get("/api/v1/grids/geojson/", {"zoom": "12"})
    print(
        f"  GET /api/v1/grids/geojson/?zoom=12: {len(response.content) / 1024:,.0f} KiB "
        f"in {(time.perf_counter() - started) * 1000:,.0f} ms"
    )


def bench_http(points: list[tuple[float, float]], database: str) -> None:
    """Requests per second from gunicorn (4 sync workers) under wrk, random points."""
    if not shutil.which("wrk"):
        print("  (wrk not installed: no HTTP figure)")
        return
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = settings.DATABASE_URL.rsplit("/", 1)[0] + "/" + database
    env = {**os.environ, "DATABASE_URL": url, "GRIDCENTER_ENV": "development", "DEBUG": "0"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gridcenter.wsgi:application", "--workers", "4",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        sample = points[:500]
        lua = "local points = {" + ",".join(f'"lat={lat:.6f}&lng={lng:.6f}"' for lat, lng in sample) + "}\n"
        lua += "request = function()\n  local q = points[math.random(#points)]\n"
        lua += '  return wrk.format("GET", "/api/v1/grids/locate/?" .. q)\nend\n'
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(lua)
        out = subprocess.run(
            ["wrk", "-t2", "-c8", "-d5s", "--latency", "-s", script.name, f"http://127.0.0.1:{port}/"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        os.unlink(script.name)
        rate = next(line for line in out.splitlines() if "Requests/sec" in line).split()[-1]
        p50 = next(line for line in out.splitlines() if line.strip().startswith("50%")).split()[-1]
        p99 = next(line for line in out.splitlines() if line.strip().startswith("99%")).split()[-1]
        print(f"  HTTP (gunicorn, 4 sync workers, wrk -c8): {rate} req/s, p50 {p50}, p99 {p99}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    from grids.citygen import area_km2, generate_city

    # A 404 for each point outside the city is expected, not news.
    logging.getLogger("django.request").setLevel(logging.ERROR)

    started = time.perf_counter()
    city = generate_city()
    print(
        f"demo city generated in memory in {time.perf_counter() - started:.2f} s: {len(city.grids())} grids, "
        f"{len(city.workers)} workers, {len(city.cameras)} cameras, {area_km2(city.outline):,.1f} km²"
    )
    rng = random.Random(42)
    np.random.seed(42)
    scales = [1] + ([BIG_SCALE] if BIG_SCALE > 1 else [])
    for scale in scales:
        database = use_database(scale)
        print(f"\nscale {scale} (database {database}):")
        ensure_city(scale)
        from grids.models import Grid

        print(f"  {Grid.objects.active().count():,} grids in the active map")
        points = sample_points(rng)
        bench_locate(points)
        if scale == 1:
            bench_geojson()
        bench_http(points, database)
    connection.close()
