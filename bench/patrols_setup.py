"""The field-work benchmark's set-up: its database, its server, and a phone per grid worker."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
DATABASE = os.environ.get("BENCH_PATROLS_DB", "gridcenter_bench_patrols")
SERVER_WORKERS = os.environ.get("BENCH_WORKERS", "4")
BATCH = 30
PERIOD = 30.0


@dataclass
class Phone:
    user_id: int
    token: str
    patrol: int
    lat: float
    lng: float
    seq: int = 0


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
    from accounts.services.tokens import issue
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
            _token, key = issue(profile.user, "bench")
            patrol = start_patrol(profile.user, grid=grids[0].pk).patrol
            lat, lng = centres[grids[0].pk]
            phones.append(Phone(profile.user_id, key, patrol.pk, lat, lng))
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
