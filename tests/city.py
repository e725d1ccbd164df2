"""The one test city: its map, its people, and cases moved by the real domain functions.

Built by ``build_city`` (the ``city`` fixture of tests/conftest.py) with the real role and
staffing machinery. Grids are squares of 0.01°::

    township 901 测试街道                            township 902 二号乡
    ┌──── community 001 测试社区 ───┬─ 002 ─┐        ┌─ 001 ─┐
    │  A 28.25-28.26  │  B          │  C    │        │  D    │
    └─────────────────┴─────────────┴───────┘        └───────┘
    109.70         109.71        109.72   109.73     109.74  109.75

A camera (测试路口) stands in grid A. Grid workers: ``a`` (grid A), ``b`` (B), ``ab`` (A and
B), ``c`` (C), ``d`` (D), ``retired`` (A, inactive account) and ``old`` (a grid of an older
map only). Departments: sub-item 0101 (暴露垃圾) is led by CGJ, GAJ assists in the standard
dispatch, ZJJ has nothing to do with it; each has an officer, CGJ also a head. The centre:
the ``dispatcher``, ``leader`` and ``admin_user`` personas, a second dispatcher, and a
``nobody`` without a role. Sub-items 63xx are errands (便民代办).
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from PIL import Image

from accounts.roles import Role
from departments.models import Department
from departments.reference import load_departments
from departments.services import appoint
from grids.choices import CommunityKind, TownshipKind
from grids.models import Camera, Community, Generation, Grid, GridWorker, Township
from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Case, SubCategory
from incidents.reference import load_taxonomy

TZ = ZoneInfo("Asia/Shanghai")
IN_A = (28.255, 109.705)  # lat, lng inside grid A
IN_B = (28.255, 109.715)
IN_C = (28.255, 109.725)
IN_D = (28.255, 109.745)
OUTSIDE = (28.40, 109.90)


def square(west: float, south: float = 28.25, size: float = 0.01) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326)


def jpeg(size: tuple[int, int] = (64, 48), colour: str = "orange", exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def at(hour: int, minute: int = 0, *, day: int = 0) -> datetime:
    """A fixed local time on a fixed day (2026-11-27, plus ``day`` days)."""
    return datetime(2026, 11, 27, hour, minute, tzinfo=TZ) + timedelta(days=day)


def point(seq: int, when: datetime, lat: float, lng: float, accuracy: float | None = 8.0) -> dict:
    """One point of a patrol's track, as the phone sends it."""
    return {"seq": seq, "recorded_at": when, "lat": lat, "lng": lng, "accuracy": accuracy}


@dataclass
class City:
    generation: Generation
    townships: dict[str, Township]  # by code suffix: "901", "902"
    communities: dict[str, Community]  # "1", "2", "3"
    grids: dict[str, Grid]  # "A" to "D"
    old_grid: Grid  # of the older map
    camera: Camera
    workers: dict[str, object]  # grid workers by key (see the module docstring)
    lead: Department
    assisting: Department
    unrelated: Department
    officer_lead: object
    head_lead: object
    officer_assisting: object
    officer_unrelated: object
    dispatcher: object
    dispatcher2: object
    leader: object
    admin: object
    nobody: object
    sub: SubCategory

    @property
    def township(self) -> Township:
        return self.townships["901"]

    @property
    def grid_a(self) -> Grid:
        return self.grids["A"]

    @property
    def grid_b(self) -> Grid:
        return self.grids["B"]

    @property
    def worker_a(self):
        return self.workers["a"]

    @property
    def worker_b(self):
        return self.workers["b"]

    def report(self, actor=None, point=IN_A, *, now: datetime | None = None, **fields) -> Case:
        """A case reported by ``actor`` (grid worker ``a`` unless said) through the domain function."""
        lat, lng = point
        fields.setdefault("subcategory", "0101")
        fields.setdefault("description", "路边有暴露垃圾")
        fields.setdefault("client_uuid", uuid.uuid4())
        return services.report_case(actor or self.worker_a, lat=lat, lng=lng, now=now, **fields).case

    def case_in(self, status: CaseStatus, *, now: datetime | None = None, **report_fields) -> Case:
        """A case brought to ``status`` through the real transitions (all at ``now`` if given)."""
        case = self.report(now=now, **report_fields)
        if status == CaseStatus.REPORTED:
            return case
        if status == CaseStatus.REJECTED:
            return services.reject_case(self.dispatcher, case, reason="重复上报", now=now)
        case = services.accept_case(self.dispatcher, case, now=now)
        if status == CaseStatus.REGISTERED:
            return case
        case = services.dispatch_case(self.dispatcher, case, department=self.lead, assisting=[self.assisting], now=now)
        if status == CaseStatus.DISPATCHED:
            return case
        if status == CaseStatus.RETURNED:
            return services.return_case(self.officer_lead, case, reason="不属于本部门职责", now=now)
        case = services.start_case(self.officer_lead, case, now=now)
        if status == CaseStatus.IN_PROGRESS:
            return case
        case = services.resolve_case(self.officer_lead, case, note="已清运", now=now)
        if status == CaseStatus.RESOLVED:
            return case
        assert status == CaseStatus.CLOSED
        return services.approve_case(self.dispatcher, case, now=now)


# key, family name, given name, grids, active
GRID_WORKERS = [
    ("a", "张", "甲", ["A"], True),
    ("b", "李", "乙", ["B"], True),
    ("ab", "王", "丙", ["A", "B"], True),
    ("c", "赵", "丁", ["C"], True),
    ("d", "刘", "戊", ["D"], True),
    ("retired", "陈", "己", ["A"], False),
]


def build_map() -> tuple[Generation, dict, dict, dict, Grid, Camera]:
    old = Generation.objects.create(description="old map")
    old.activate()
    generation = Generation.objects.create(description="test map")
    generation.activate()
    townships = {
        "901": Township.objects.create(
            code="433101901", name="测试街道", kind=TownshipKind.SUBDISTRICT, boundary=square(109.70, size=0.03)
        ),
        "902": Township.objects.create(
            code="433101902", name="二号乡", kind=TownshipKind.TOWNSHIP, boundary=square(109.74)
        ),
    }
    communities = {
        "1": Community.objects.create(
            township=townships["901"],
            code="433101901001",
            name="测试社区",
            kind=CommunityKind.COMMUNITY,
            boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.26)), srid=4326),
        ),
        "2": Community.objects.create(
            township=townships["901"],
            code="433101901002",
            name="二社区",
            kind=CommunityKind.COMMUNITY,
            boundary=square(109.72),
        ),
        "3": Community.objects.create(
            township=townships["902"],
            code="433101902001",
            name="三村",
            kind=CommunityKind.VILLAGE,
            boundary=square(109.74),
        ),
    }
    layout = {
        "A": ("1", "001", "一社区A网格", 109.70),
        "B": ("1", "002", "一社区B网格", 109.71),
        "C": ("2", "001", "二社区C网格", 109.72),
        "D": ("3", "001", "三村D网格", 109.74),
    }
    grids = {
        letter: Grid.objects.create(
            generation=generation,
            community=communities[key],
            code=communities[key].code + number,
            name=name,
            boundary=square(west),
        )
        for letter, (key, number, name, west) in layout.items()
    }
    old_grid = Grid.objects.create(
        generation=old, community=communities["1"], code="433101901001099", name="旧网格", boundary=square(109.70)
    )
    camera = Camera.objects.create(
        code="43310100001310000001", name="测试路口", point=Point(109.706, 28.256, srid=4326), grid=grids["A"]
    )
    return generation, townships, communities, grids, old_grid, camera


def build_city(make_user, *, dispatcher, leader, admin) -> City:
    """The test city, in the database of the calling test (see the module docstring)."""
    # Present from the data migrations, unless a transactional test flushed them.
    load_departments()
    load_taxonomy()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    generation, townships, communities, grids, old_grid, camera = build_map()
    workers = {}
    for index, (key, family, given, assigned, active) in enumerate(GRID_WORKERS):
        user = make_user(f"t-worker-{key}", Role.GRID_WORKER, last_name=family, first_name=given, is_active=active)
        profile = GridWorker.objects.create(user=user, name=family + given, phone=f"1390000{index:04d}")
        profile.grids.add(*(grids[letter] for letter in assigned))
        workers[key] = user
    workers["old"] = make_user("t-worker-old", Role.GRID_WORKER, last_name="旧")
    GridWorker.objects.create(user=workers["old"], name="旧", phone="13900009999").grids.add(old_grid)

    lead, assisting, unrelated = (Department.objects.get(code=code) for code in ("CGJ", "GAJ", "ZJJ"))
    officer_lead = make_user("t-officer-cgj", last_name="城管专员")
    head_lead = make_user("t-head-cgj", last_name="城管局长")
    officer_assisting = make_user("t-officer-gaj")
    officer_unrelated = make_user("t-officer-zjj")
    appoint(officer_lead, lead)
    appoint(head_lead, lead, head=True)
    appoint(officer_assisting, assisting)
    appoint(officer_unrelated, unrelated)
    return City(
        generation=generation,
        townships=townships,
        communities=communities,
        grids=grids,
        old_grid=old_grid,
        camera=camera,
        workers=workers,
        lead=lead,
        assisting=assisting,
        unrelated=unrelated,
        officer_lead=officer_lead,
        head_lead=head_lead,
        officer_assisting=officer_assisting,
        officer_unrelated=officer_unrelated,
        dispatcher=dispatcher,
        dispatcher2=make_user("t-dispatcher2", Role.DISPATCHER),
        leader=leader,
        admin=admin,
        nobody=make_user("t-nobody"),
        sub=SubCategory.objects.get(code="0101"),
    )
