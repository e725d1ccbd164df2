"""Fixtures of the grids tests: a small hand-drawn city with exact coordinates.

Four square grids of 0.01° in a 2 × 2 block, two communities of one township::

    28.27 ┌─────────┬─────────┐
          │ C …2001 │ D …2002 │   community 433101001002
    28.26 ├─────────┼─────────┤
          │ A …1001 │ B …1002 │   community 433101001001
    28.25 └─────────┴─────────┘
       109.70    109.71    109.72

Grid codes: A = 433101001001001, B = 433101001001002, C = 433101001002001,
D = 433101001002002. Grid A has a public lead and a worker whose contact is private.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from accounts.roles import Role
from grids.choices import CameraKind, CommunityKind, TownshipKind
from grids.models import Camera, Community, Generation, Grid, GridWorker, Township

TOWNSHIP = "433101001"
PRIVATE_PHONE = "13900000002"
PUBLIC_PHONE = "13900000001"


def rectangle(west: float, south: float, east: float, north: float) -> MultiPolygon:
    """Corners given as literals, so that neighbours share exactly the same coordinates."""
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


@dataclass
class SmallCity:
    generation: Generation
    township: Township
    grids: dict[str, Grid]  # by letter A-D
    lead: GridWorker
    private_worker: GridWorker


@pytest.fixture
def small_city(db, make_user) -> SmallCity:
    generation = Generation.objects.create(description="test map")
    generation.activate()
    township = Township.objects.create(
        code=TOWNSHIP,
        name="测试街道",
        kind=TownshipKind.SUBDISTRICT,
        boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.27)), srid=4326),
    )
    south = Community.objects.create(
        township=township,
        code=TOWNSHIP + "001",
        name="南社区",
        kind=CommunityKind.COMMUNITY,
        boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.26)), srid=4326),
    )
    north = Community.objects.create(
        township=township,
        code=TOWNSHIP + "002",
        name="北社区",
        kind=CommunityKind.COMMUNITY,
        boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.26, 109.72, 28.27)), srid=4326),
    )
    layout = {
        "A": (south, "001", (109.70, 28.25, 109.71, 28.26)),
        "B": (south, "002", (109.71, 28.25, 109.72, 28.26)),
        "C": (north, "001", (109.70, 28.26, 109.71, 28.27)),
        "D": (north, "002", (109.71, 28.26, 109.72, 28.27)),
    }
    grids = {
        letter: Grid.objects.create(
            generation=generation,
            community=community,
            code=community.code + number,
            name=f"{community.name}第{int(number)}网格",
            boundary=rectangle(*corners),
            population=500,
            households=160,
        )
        for letter, (community, number, corners) in layout.items()
    }
    lead = GridWorker.objects.create(
        user=make_user("t-lead", Role.GRID_WORKER), name="张公示", phone=PUBLIC_PHONE, is_lead=True, is_public=True
    )
    private = GridWorker.objects.create(
        user=make_user("t-private", Role.GRID_WORKER), name="李保密", phone=PRIVATE_PHONE, is_public=False
    )
    lead.grids.add(grids["A"])
    private.grids.add(grids["A"])
    for number, (lng, lat) in enumerate([(109.705, 28.255), (109.715, 28.265), (109.75, 28.30)], start=1):
        Camera.objects.create(
            code=f"4331010000132{number:07d}",
            name=f"测试{number}号",
            point=Point(lng, lat, srid=4326),
            kind=CameraKind.SECURITY,
        )
    return SmallCity(generation, township, grids, lead, private)
