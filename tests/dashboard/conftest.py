"""Fixtures of the wall-screen tests: a small city and its people, built with the real
machinery; cases are moved only by the incidents domain functions.

Two square grids of 0.01° side by side in one township::

    28.26 ┌─────────┬─────────┐
          │ A       │ B       │
    28.25 └─────────┴─────────┘
       109.70    109.71    109.72

Sub-item 0101 (暴露垃圾) is led by CGJ.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import datetime

import pytest
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
from incidents.models import Case
from incidents.reference import load_taxonomy

POINT_A = (28.255, 109.705)  # lat, lng inside grid A
POINT_B = (28.255, 109.715)


def square(west: float, south: float, size: float = 0.01) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, west + size, south + size)), srid=4326)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class City:
    township: Township
    grid_a: Grid
    grid_b: Grid
    worker: object
    worker_b: object
    officer: object
    other_officer: object
    lead: Department
    dispatcher: object
    leader: object
    admin: object

    def report(self, *, point=POINT_A, now: datetime | None = None, actor=None, **fields) -> Case:
        lat, lng = point
        fields.setdefault("subcategory", "0101")
        fields.setdefault("description", "路边有暴露垃圾")
        fields.setdefault("client_uuid", uuid.uuid4())
        return services.report_case(actor or self.worker, lat=lat, lng=lng, now=now, **fields).case

    def case_in(self, status: CaseStatus, now: datetime | None = None, **report_fields) -> Case:
        """A case brought to ``status`` through the real transitions."""
        case = self.report(now=now, **report_fields)
        if status == CaseStatus.REPORTED:
            return case
        if status == CaseStatus.REJECTED:
            return services.reject_case(self.dispatcher, case, reason="重复上报", now=now)
        case = services.accept_case(self.dispatcher, case, now=now)
        if status == CaseStatus.REGISTERED:
            return case
        case = services.dispatch_case(self.dispatcher, case, department=self.lead, now=now)
        if status == CaseStatus.DISPATCHED:
            return case
        if status == CaseStatus.RETURNED:
            return services.return_case(self.officer, case, reason="不属于本部门职责", now=now)
        case = services.start_case(self.officer, case, now=now)
        if status == CaseStatus.IN_PROGRESS:
            return case
        case = services.resolve_case(self.officer, case, note="已清运", now=now)
        if status == CaseStatus.RESOLVED:
            return case
        assert status == CaseStatus.CLOSED
        return services.approve_case(self.dispatcher, case, now=now)


def build_city(make_user) -> City:
    # Present from the data migrations, unless a transactional test flushed them.
    load_departments()
    load_taxonomy()
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    generation = Generation.objects.create(description="dashboard test map")
    generation.activate()
    township = Township.objects.create(
        code="433101901", name="测试街道", kind=TownshipKind.SUBDISTRICT, boundary=square(109.70, 28.25, 0.02)
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
    Camera.objects.create(
        code="43310100001310000001", name="测试路口", point=Point(109.706, 28.256, srid=4326), grid=grid_a
    )
    worker = make_user("d-worker", Role.GRID_WORKER, last_name="网格员甲")
    worker_b = make_user("d-worker-b", Role.GRID_WORKER, last_name="网格员乙")
    GridWorker.objects.create(user=worker, name="网格员甲", phone="13900000011").grids.add(grid_a)
    GridWorker.objects.create(user=worker_b, name="网格员乙", phone="13900000012").grids.add(grid_b)
    lead = Department.objects.get(code="CGJ")
    officer = make_user("d-officer-cgj", last_name="城管专员")
    other_officer = make_user("d-officer-gaj")
    appoint(officer, lead)
    appoint(other_officer, Department.objects.get(code="GAJ"))
    return City(
        township=township,
        grid_a=grid_a,
        grid_b=grid_b,
        worker=worker,
        worker_b=worker_b,
        officer=officer,
        other_officer=other_officer,
        lead=lead,
        dispatcher=make_user("d-dispatcher", Role.DISPATCHER, last_name="值班员"),
        leader=make_user("d-leader", Role.LEADER, last_name="领导"),
        admin=make_user("d-admin", Role.ADMIN, is_staff=True, is_superuser=True),
    )


@pytest.fixture
def city(db, make_user) -> City:
    return build_city(make_user)
