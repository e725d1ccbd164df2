"""Case reports under load: POST /api/v1/incidents/ against a bare DRF endpoint, list and detail.

Runs on a database of its own (``<DATABASE_URL name>_bench``, migrated and filled here:
a 10 × 10 grid map, a grid worker and a dispatcher with tokens, a few thousand cases), so
the demo database is never touched. gunicorn serves ``bench.settings`` (our API plus the
bare endpoints of bench/urls.py) with the write rate limit lifted; wrk, from a second
process, sends reports with a fresh ``client_uuid`` and a random point each, over
``BENCH_CONNECTIONS`` connections, then the same body to the bare endpoint (the ratio is
our overhead), then the list and a case detail; then reports with a 2 MB phone photo.
SQL queries per request are counted in a separate process with the same code.

    python -m bench incidents     (BENCH_DURATION=10s BENCH_WORKERS=4 BENCH_CONNECTIONS=16)
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.servers import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_DURATION", "10s")
WORKERS = os.environ.get("BENCH_WORKERS", "4")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PHOTO_CONNECTIONS = int(os.environ.get("BENCH_PHOTO_CONNECTIONS", "4"))
SEED_CASES = int(os.environ.get("BENCH_SEED_CASES", "3000"))
# The benchmark's grid map: 10 × 10 grids of 0.01° from this corner (inside Jishou).
WEST, SOUTH, SIZE, N = 109.70, 28.25, 0.01, 10

LUA = r"""

local counter = 0
local threads = 0
local prefix, suffix, auth

function setup(thread)
    threads = threads + 1
    thread:set("tid", threads)
end

function init(args)
    math.randomseed(os.time() * 1000 + tid)
    auth = args[1]
    if args[2] ~= nil then
        local f = assert(io.open(args[2], "rb"))
        photo = f:read("*all")
        f:close()
    end
end

local function uuid()
    counter = counter + 1
    return string.format("%08x-%04x-4%03x-8%03x-%012x", os.time() % 4294967295, tid, math.random(0, 4095),
        math.random(0, 4095), counter)
end

local function point()
    return 28.25 + math.random() * 0.0999, 109.70 + math.random() * 0.0999
end

request = function()
    local headers = {}
    if auth ~= nil and auth ~= "" then headers["Authorization"] = "Token " .. auth end
    local lat, lng = point()
    if photo == nil then
        headers["Content-Type"] = "application/json"
        local body = string.format(
            '{"client_uuid": "%s", "subcategory": "0101", "description": "路边有暴露垃圾，请及时清运",' ..
            ' "lat": %.6f, "lng": %.6f, "address": "人民北路"}', uuid(), lat, lng)
        return wrk.format("POST", nil, headers, body)
    end
    local b = "----benchboundary7MA4YWxkTrZu0gW"
    headers["Content-Type"] = "multipart/form-data; boundary=" .. b
    local function field(name, value)
        return "--" .. b .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
    end
    local body = field("client_uuid", uuid()) .. field("subcategory", "0101") ..
        field("description", "路边有暴露垃圾") .. field("lat", string.format("%.6f", lat)) ..
        field("lng", string.format("%.6f", lng)) ..
        "--" .. b .. "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"IMG_0001.jpg\"\r\n" ..
        "Content-Type: image/jpeg\r\n\r\n" .. photo .. "\r\n--" .. b .. "--\r\n"
    return wrk.format("POST", nil, headers, body)
end

done = function(summary, latency, requests)
    io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

GET_LUA = r"""
local auth
function init(args) auth = args[1] end
request = function()
    return wrk.format("GET", nil, {["Authorization"] = "Token " .. auth})
end
done = function(summary, latency, requests)
    io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def bench_database_url() -> str:
    from django.conf import settings

    parts = urlsplit(settings.DATABASE_URL)
    name = parts.path.lstrip("/") or "gridcenter"
    return urlunsplit(parts._replace(path="/" + name + "_bench"))


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def helper(env: dict, command: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_incidents", command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wrk(url: str, script: str, connections: int, *args: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", "-d", DURATION, "--timeout", "10s", "-s", handle.name, url, *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    requests, duration, p50, p95, p99, bad_status, socket_errors = map(
        int, re.search(r"RESULT (.*)", out).group(1).split()
    )
    return {
        "rate": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "errors": bad_status + socket_errors,
        "requests": requests,
    }


def line(name: str, result: dict, queries: int | None = None) -> str:
    text = (
        f"{name:34} {result['rate']:8.1f} req/s   p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms"
        f"  p99 {result['p99']:6.1f} ms"
    )
    if queries is not None:
        text += f"   {queries} SQL/request"
    if result["errors"]:
        text += f"   {result['errors']} errors of {result['requests']}"
    return text


def phone_photo(path: Path, target: int = 2 * 1024 * 1024) -> int:
    """A 4000 × 3000 JPEG of about 2 MB with camera-like EXIF (GPS included)."""
    from PIL import Image, ImageFilter

    rng = random.Random(7)
    small = Image.frombytes("RGB", (1000, 750), rng.randbytes(1000 * 750 * 3))
    image = small.filter(ImageFilter.GaussianBlur(1)).resize((4000, 3000), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[0x010F] = "Phone"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (28.0, 18.0, 0.0), "E", (109.0, 44.0, 0.0)
    quality, data = 95, b""
    for quality in (95, 90, 85, 80, 75, 70, 60):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, exif=exif)
        data = buffer.getvalue()
        if len(data) <= target * 1.15:
            break
    path.write_bytes(data)
    return len(data)


def main() -> None:
    url = bench_database_url()
    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings"),
        GRIDCENTER_ENV="development",
        DEBUG="0",
        API_WRITE_RATE="10000000/min",  # measure the endpoint, not the rate limit
        MEDIA_ROOT=str(media),
        DB_CONN_MAX_AGE="600",
    )
    started = time.perf_counter()
    manage(env, "ensure_database")
    manage(env, "migrate", "--noinput")
    fixture = helper(env, "prepare")
    name = urlsplit(url).path.lstrip("/")
    print(f"database {name}: {fixture['cases']} cases ({time.perf_counter() - started:.0f} s to prepare)")
    queries = helper(env, "queries")
    photo = media / "phone.jpg"
    size = phone_photo(photo)

    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "gridcenter.wsgi:application",
        "--workers",
        WORKERS,
        "--bind",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(port)
        time.sleep(1)
        print(f"gunicorn sync, {WORKERS} workers, {os.cpu_count()} cores; wrk -t2 -c{CONNECTIONS} -d{DURATION}")
        token = fixture["worker_token"]
        wrk(f"{base}/api/v1/incidents/", LUA, CONNECTIONS, token)  # warm up every worker
        report = wrk(f"{base}/api/v1/incidents/", LUA, CONNECTIONS, token)
        bare = wrk(f"{base}/bench/bare/", LUA, CONNECTIONS, token)
        postgis = wrk(f"{base}/bench/postgis/", LUA, CONNECTIONS, token)
        print(line("POST /api/v1/incidents/ (JSON)", report, queries["report_json"]))
        print(line("POST /bench/bare/ (DRF, no DB)", bare))
        print(line("POST /bench/postgis/ (DRF + 1 query)", postgis, 1))
        met = report["rate"] >= 200 and report["p95"] < 150
        print(f"{'':34} ours / bare: {report['rate'] / bare['rate']:.2f} of the rate;", end=" ")
        print(f"target ≥ 200 reports/s at p95 < 150 ms: {'met' if met else 'NOT met'}")
        dispatcher = fixture["dispatcher_token"]
        listing = wrk(f"{base}/api/v1/incidents/?limit=50", GET_LUA, CONNECTIONS, dispatcher)
        detail = wrk(f"{base}/api/v1/incidents/{fixture['detail_id']}/", GET_LUA, CONNECTIONS, dispatcher)
        print(line("GET /api/v1/incidents/?limit=50", listing, queries["list"]))
        print(line(f"GET /api/v1/incidents/<id>/ ({fixture['detail_events']} events)", detail, queries["detail"]))
        print(f"with a {size / 1e6:.1f} MB 4000×3000 phone photo per report, wrk -c{PHOTO_CONNECTIONS}:")
        with_photo = wrk(f"{base}/api/v1/incidents/", LUA, PHOTO_CONNECTIONS, token, str(photo))
        print(line("POST /api/v1/incidents/ + photo", with_photo, queries["report_photo"]))
        print(f"{'':34} in one process: {json.dumps(helper(env, 'photo_profile'))}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["rm", "-rf", str(media)], check=False)


# --- helpers run in a child process on the bench database -------------------------------------------------


def _prepare() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.gis.geos import MultiPolygon, Polygon
    from rest_framework.authtoken.models import Token

    from accounts.roles import Role, grant
    from departments.models import Department
    from departments.services import appoint
    from grids.choices import CommunityKind, TownshipKind
    from grids.models import Community, Generation, Grid, GridWorker, Township
    from incidents import services
    from incidents.models import Case

    box = MultiPolygon(Polygon.from_bbox((WEST, SOUTH, WEST + N * SIZE, SOUTH + N * SIZE)), srid=4326)
    township, _ = Township.objects.get_or_create(
        code="433101999", defaults={"name": "基准街道", "kind": TownshipKind.SUBDISTRICT, "boundary": box}
    )
    community, _ = Community.objects.get_or_create(
        code="433101999001",
        defaults={"township": township, "name": "基准社区", "kind": CommunityKind.COMMUNITY, "boundary": box},
    )
    generation = Generation.objects.filter(description="bench map").first()
    if generation is None:
        generation = Generation.objects.create(description="bench map")
        Grid.objects.bulk_create(
            Grid(
                generation=generation,
                community=community,
                code=f"433101999001{i * N + j:03d}",
                name=f"基准第{i * N + j + 1}网格",
                boundary=MultiPolygon(
                    Polygon.from_bbox(
                        (WEST + j * SIZE, SOUTH + i * SIZE, WEST + (j + 1) * SIZE, SOUTH + (i + 1) * SIZE)
                    ),
                    srid=4326,
                ),
            )
            for i in range(N)
            for j in range(N)
        )
    generation.activate()
    users = get_user_model().objects
    worker, created = users.get_or_create(username="bench-worker", defaults={"last_name": "基准网格员"})
    if created:
        grant(worker, Role.GRID_WORKER)
        GridWorker.objects.create(user=worker, name="基准网格员", phone="13900009999").grids.set(generation.grids.all())
    dispatcher, created = users.get_or_create(username="bench-dispatcher", defaults={"last_name": "基准值班员"})
    if created:
        grant(dispatcher, Role.DISPATCHER)
    officer, created = users.get_or_create(username="bench-officer-cgj")
    if created:
        appoint(officer, Department.objects.get(code="CGJ"))
    rng = random.Random(5)
    missing = SEED_CASES - Case.objects.count()
    for _ in range(max(0, missing)):
        services.report_case(
            worker,
            subcategory="0101",
            description="基准数据",
            lat=SOUTH + rng.random() * N * SIZE * 0.999,
            lng=WEST + rng.random() * N * SIZE * 0.999,
        )
    detail = Case.objects.filter(description="基准详情").first()
    if detail is None:
        detail = services.report_case(worker, subcategory="0101", description="基准详情", lat=28.255, lng=109.705).case
        services.dispatch_case(dispatcher, detail, assisting=[Department.objects.get(code="GAJ")], note="请处理")
        services.start_case(officer, detail)
        services.urge_case(dispatcher, detail, note="督办")
        services.resolve_case(officer, detail, note="已清运", photos=[_small_jpeg(), _small_jpeg()])
    return {
        "worker_token": Token.objects.get_or_create(user=worker)[0].key,
        "dispatcher_token": Token.objects.get_or_create(user=dispatcher)[0].key,
        "detail_id": detail.pk,
        "detail_events": detail.events.count(),
        "cases": Case.objects.count(),
    }


def _small_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "grey").save(buffer, "JPEG")
    return buffer.getvalue()


def _queries() -> dict:
    import uuid

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from incidents.models import Case

    worker = Token.objects.get(user__username="bench-worker").key
    dispatcher = Token.objects.get(user__username="bench-dispatcher").key
    client = Client()

    def count(method: str, path: str, token: str, **kwargs) -> int:
        getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {token}", **kwargs)  # warm up
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Token {token}", **kwargs)
        assert response.status_code in (200, 201), response.content[:300]
        return len(captured.captured_queries)

    def report() -> dict:
        return {
            "client_uuid": str(uuid.uuid4()),
            "subcategory": "0101",
            "description": "计数",
            "lat": 28.3,
            "lng": 109.75,
        }

    with CaptureQueriesContext(connection) as captured:
        client.post(
            "/api/v1/incidents/", report(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {worker}"
        )
    json_report = len(captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        client.post(
            "/api/v1/incidents/",
            {**report(), "photos": [io.BytesIO(_small_jpeg())]},
            HTTP_AUTHORIZATION=f"Token {worker}",
        )
    photo_report = len(captured.captured_queries)
    detail = Case.objects.get(description="基准详情").pk
    return {
        "report_json": json_report,
        "report_photo": photo_report,
        "list": count("get", "/api/v1/incidents/?limit=50", dispatcher),
        "detail": count("get", f"/api/v1/incidents/{detail}/", dispatcher),
    }


def _photo_profile() -> dict:
    """Where the time of one 2 MB photo goes (milliseconds), in this process."""
    from PIL import Image

    from gridcenter.photos import process_photo, store_photos

    path = Path(tempfile.mkdtemp()) / "p.jpg"
    phone_photo(path)
    data = path.read_bytes()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    image = Image.open(io.BytesIO(data))
    image.load()
    timings["full_decode_ms"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    processed = process_photo(data)
    timings["process_photo_ms (draft decode, resize, 2 encodes)"] = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    store_photos([processed])
    timings["store_ms"] = (time.perf_counter() - started) * 1000
    return {key: round(value, 1) for key, value in timings.items()}


if __name__ == "__main__":
    import django

    django.setup()
    if len(sys.argv) < 2:
        main()
    else:
        commands = {"prepare": _prepare, "queries": _queries, "photo_profile": _photo_profile}
        print(json.dumps(commands[sys.argv[1]]()))
