"""Fixtures of the case tests: a tiny city, its people, and cases in every status.

Two square grids of 0.01° side by side in one community::

    28.26 ┌─────────┬─────────┐
          │ A       │ B       │
    28.25 └─────────┴─────────┘
       109.70    109.71    109.72

Sub-item 0101 (暴露垃圾) is led by CGJ; GAJ assists in the standard dispatch; ZJJ has
nothing to do with it. Cases are built by calling the real service functions.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from PIL import Image

from accounts.roles import Role
from departments.models import Department
from departments.reference import load_departments
from departments.services import appoint
from grids.choices import CommunityKind, TownshipKind
from grids.models import Community, Generation, Grid, GridWorker, Township
from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Case, SubCategory
from incidents.reference import load_taxonomy

TZ = ZoneInfo("Asia/Shanghai")
POINT_A = (28.255, 109.705)  # lat, lng inside grid A
POINT_B = (28.255, 109.715)
OUTSIDE = (28.40, 109.90)


def square(west: float, south: float, size: float = 0.01) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326)


def jpeg_bytes(size: tuple[int, int] = (64, 48), colour: str = "orange", exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.save(buffer, "JPEG", **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def isolated_cache(settings):
    """A cache key prefix of the test's own: rate-limit counters of other runs sharing this
    Redis database (user ids repeat from one test database to the next) do not count."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Photos of each test go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class World:
    generation: Generation
    township: Township
    grid_a: Grid
    grid_b: Grid
    worker_a: object
    worker_b: object
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
    counter: list[int] = field(default_factory=lambda: [0])

    def report(self, actor=None, *, point=POINT_A, now: datetime | None = None, **fields) -> Case:
        lat, lng = point
        fields.setdefault("subcategory", "0101")
        fields.setdefault("description", "路边有暴露垃圾")
        fields.setdefault("client_uuid", uuid.uuid4())
        return services.report_case(actor or self.worker_a, lat=lat, lng=lng, now=now, **fields).case

    def case_in(self, status: CaseStatus, **report_fields) -> Case:
        """A case brought to ``status`` through the real transitions."""
        case = self.report(**report_fields)
        if status == CaseStatus.REPORTED:
            return case
        if status == CaseStatus.REJECTED:
            return services.reject_case(self.dispatcher, case, reason="重复上报")
        case = services.accept_case(self.dispatcher, case)
        if status == CaseStatus.REGISTERED:
            return case
        case = services.dispatch_case(self.dispatcher, case, department=self.lead, assisting=[self.assisting])
        if status == CaseStatus.DISPATCHED:
            return case
        if status == CaseStatus.RETURNED:
            return services.return_case(self.officer_lead, case, reason="不属于本部门职责")
        case = services.start_case(self.officer_lead, case)
        if status == CaseStatus.IN_PROGRESS:
            return case
        case = services.resolve_case(self.officer_lead, case, note="已清运")
        if status == CaseStatus.RESOLVED:
            return case
        assert status == CaseStatus.CLOSED
        return services.approve_case(self.dispatcher, case)


@pytest.fixture
def world(db, make_user, dispatcher, leader, admin_user) -> World:
    # Present from the data migrations, unless a transactional test flushed them.
    load_departments()
    load_taxonomy()
    generation = Generation.objects.create(description="incidents test map")
    generation.activate()
    township = Township.objects.create(
        code="433101901",
        name="测试街道",
        kind=TownshipKind.SUBDISTRICT,
        boundary=square(109.70, 28.25, 0.02),
    )
    community = Community.objects.create(
        township=township,
        code="433101901001",
        name="测试社区",
        kind=CommunityKind.COMMUNITY,
        boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.26)), srid=4326),
    )
    grid_a, grid_b = (
        Grid.objects.create(
            generation=generation, community=community, code=code, name=name, boundary=square(west, 28.25)
        )
        for code, name, west in [("433101901001001", "测试一网格", 109.70), ("433101901001002", "测试二网格", 109.71)]
    )
    worker_a = make_user("t-worker-a", Role.GRID_WORKER, last_name="网格员甲")
    worker_b = make_user("t-worker-b", Role.GRID_WORKER, last_name="网格员乙")
    GridWorker.objects.create(user=worker_a, name="网格员甲", phone="13900000011").grids.add(grid_a)
    GridWorker.objects.create(user=worker_b, name="网格员乙", phone="13900000012").grids.add(grid_b)
    lead = Department.objects.get(code="CGJ")
    assisting = Department.objects.get(code="GAJ")
    unrelated = Department.objects.get(code="ZJJ")
    officer_lead = make_user("t-officer-cgj", last_name="城管专员")
    head_lead = make_user("t-head-cgj", last_name="城管局长")
    officer_assisting = make_user("t-officer-gaj")
    officer_unrelated = make_user("t-officer-zjj")
    appoint(officer_lead, lead)
    appoint(head_lead, lead, head=True)
    appoint(officer_assisting, assisting)
    appoint(officer_unrelated, unrelated)
    return World(
        generation=generation,
        township=township,
        grid_a=grid_a,
        grid_b=grid_b,
        worker_a=worker_a,
        worker_b=worker_b,
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
        admin=admin_user,
        nobody=make_user("t-nobody"),
        sub=SubCategory.objects.get(code="0101"),
    )


@pytest.fixture
def photo() -> Callable[..., bytes]:
    return jpeg_bytes
