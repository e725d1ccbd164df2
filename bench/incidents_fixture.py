"""The case-report benchmark's database side, run in a child process on the bench database.

``python -m bench.incidents_fixture <command>`` prints one JSON line: ``prepare`` fills the
database (a 10 × 10 grid map, a grid worker, a dispatcher and an officer with tokens, a few
thousand cases, one case with a long timeline), ``queries`` counts SQL per request, and
``photo_profile`` times the steps of one 2 MB photo.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SEED_CASES = int(os.environ.get("BENCH_SEED_CASES", "3000"))
# The benchmark's grid map: 10 × 10 grids of 0.01° from this corner (inside Jishou).
WEST, SOUTH, SIZE, N = 109.70, 28.25, 0.01, 10


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


def _prepare() -> dict:
    from accounts.services.tokens import issue
    from incidents.models import Case

    generation = _bench_map()
    worker, dispatcher, officer = _bench_people(generation)
    detail = _bench_cases(worker, dispatcher, officer)
    return {
        "worker_token": issue(worker, "bench")[1],
        "dispatcher_token": issue(dispatcher, "bench")[1],
        "detail_id": detail.pk,
        "detail_events": detail.events.count(),
        "cases": Case.objects.count(),
    }


def _bench_map():
    """The benchmark's township, community and active map of N × N square grids (made once)."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from grids.choices import CommunityKind, TownshipKind
    from grids.models import Community, Generation, Grid, Township

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
    return generation


def _bench_people(generation) -> tuple:
    """The grid worker of every grid, a dispatcher and an officer of CGJ (made once)."""
    from django.contrib.auth import get_user_model

    from accounts.roles import Role, grant
    from departments.models import Department
    from departments.services import appoint
    from grids.models import GridWorker

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
    return worker, dispatcher, officer


def _bench_cases(worker, dispatcher, officer):
    """Reports up to SEED_CASES, and the detail case with a long timeline; returns that case."""
    from departments.models import Department
    from incidents import services
    from incidents.models import Case

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
    return detail


def _small_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "grey").save(buffer, "JPEG")
    return buffer.getvalue()


def _queries() -> dict:
    import uuid

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.services.tokens import issue
    from incidents.models import Case

    worker = issue(User.objects.get(username="bench-worker"), "bench")[1]
    dispatcher = issue(User.objects.get(username="bench-dispatcher"), "bench")[1]
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
    commands = {"prepare": _prepare, "queries": _queries, "photo_profile": _photo_profile}
    print(json.dumps(commands[sys.argv[1]]()))
