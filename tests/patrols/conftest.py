"""Fixtures of the field-work tests: a small city in two townships and its grid workers.

::

    township 901                                   township 902
    ┌──────────── community 001 ─────────┬─ 002 ─┐   ┌─ 001 ─┐
    │  A 28.25-28.26     B               │  C    │   │  D    │
    └────────────────────────────────────┴───────┘   └───────┘
    109.70        109.71        109.72   109.73      109.74  109.75

Grids are squares of 0.01°. Workers: ``a`` (grid A), ``b`` (B), ``ab`` (A and B),
``c`` (C), ``d`` (D), ``retired`` (A, inactive account) and ``old`` (a grid of an
older map only). Sub-item 0101 is an ordinary problem; 63xx are errands (便民代办).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from PIL import Image

from accounts.roles import Role
from departments.reference import load_departments
from grids.choices import CommunityKind, TownshipKind
from grids.models import Community, Generation, Grid, GridWorker, Township
from incidents import services as cases
from incidents.reference import load_taxonomy

TZ = ZoneInfo("Asia/Shanghai")
IN_A = (28.255, 109.705)  # lat, lng
IN_B = (28.255, 109.715)
IN_C = (28.255, 109.725)
IN_D = (28.255, 109.745)


def square(west: float, south: float = 28.25, size: float = 0.01) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326)


def jpeg(size: tuple[int, int] = (64, 48), colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    """A fixed local time on a fixed day (2026-11-27, plus ``day`` days)."""
    return datetime(2026, 11, 27, hour, minute, tzinfo=TZ) + timedelta(days=day)


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """Throttle counters of other runs sharing this Redis database do not count."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class City:
    grids: dict[str, Grid]
    townships: dict[str, Township]
    communities: dict[str, Community]
    workers: dict[str, object]
    old_grid: Grid

    def report(self, worker, point=IN_A, **fields):
        lat, lng = point
        fields.setdefault("subcategory", "0101")
        fields.setdefault("description", "路边有暴露垃圾")
        fields.setdefault("client_uuid", uuid.uuid4())
        return cases.report_case(worker, lat=lat, lng=lng, **fields).case


@pytest.fixture
def city(db, make_user) -> City:
    load_departments()
    load_taxonomy()
    old = Generation.objects.create(description="old map")
    old.activate()
    generation = Generation.objects.create(description="field-work test map")
    generation.activate()
    t1 = Township.objects.create(
        code="433101901", name="一号街道", kind=TownshipKind.SUBDISTRICT, boundary=square(109.70, size=0.03)
    )
    t2 = Township.objects.create(
        code="433101902", name="二号乡", kind=TownshipKind.TOWNSHIP, boundary=square(109.74, size=0.01)
    )
    communities = {
        "1": Community.objects.create(
            township=t1,
            code="433101901001",
            name="一社区",
            kind=CommunityKind.COMMUNITY,
            boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.26)), srid=4326),
        ),
        "2": Community.objects.create(
            township=t1, code="433101901002", name="二社区", kind=CommunityKind.COMMUNITY, boundary=square(109.72)
        ),
        "3": Community.objects.create(
            township=t2, code="433101902001", name="三村", kind=CommunityKind.VILLAGE, boundary=square(109.74)
        ),
    }
    layout = {
        "A": ("1", "001", 109.70),
        "B": ("1", "002", 109.71),
        "C": ("2", "001", 109.72),
        "D": ("3", "001", 109.74),
    }
    grids = {
        letter: Grid.objects.create(
            generation=generation,
            community=communities[key],
            code=communities[key].code + number,
            name=f"{communities[key].name}{letter}网格",
            boundary=square(west),
        )
        for letter, (key, number, west) in layout.items()
    }
    old_grid = Grid.objects.create(
        generation=old, community=communities["1"], code="433101901001099", name="旧网格", boundary=square(109.70)
    )
    workers = {}
    for key, family, given, assigned, active in [
        ("a", "张", "甲", ["A"], True),
        ("b", "李", "乙", ["B"], True),
        ("ab", "王", "丙", ["A", "B"], True),
        ("c", "赵", "丁", ["C"], True),
        ("d", "刘", "戊", ["D"], True),
        ("retired", "陈", "己", ["A"], False),
    ]:
        user = make_user(f"t-w-{key}", Role.GRID_WORKER, last_name=family, first_name=given, is_active=active)
        profile = GridWorker.objects.create(user=user, name=family + given, phone=f"1390000{len(workers):04d}")
        profile.grids.add(*(grids[letter] for letter in assigned))
        workers[key] = user
    old_worker = make_user("t-w-old", Role.GRID_WORKER, last_name="旧")
    GridWorker.objects.create(user=old_worker, name="旧", phone="13900009999").grids.add(old_grid)
    workers["old"] = old_worker
    return City(grids, {"901": t1, "902": t2}, communities, workers, old_grid)


def point(seq: int, when: datetime, lat: float, lng: float, accuracy: float | None = 8.0) -> dict:
    return {"seq": seq, "recorded_at": when, "lat": lat, "lng": lng, "accuracy": accuracy}
