"""The demo city written to PostGIS by its seeder (``manage.py seed_demo``).

How long it takes is measured by ``make bench BENCH=seed`` (bench/bench_seed.py), not here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Q

from accounts.roles import Role
from grids import demo, services
from grids.models import Camera, Community, Generation, Grid, GridWorker, Township


def test_the_seeder_writes_the_city_and_is_idempotent(db):
    lines: list[str] = []
    city = demo.seed("demo12345", lines.append)
    assert Generation.objects.filter(is_active=True).count() == 1
    assert (Township.objects.count(), Grid.objects.count(), GridWorker.objects.count(), Camera.objects.count()) == (
        15,
        688,
        2018,
        1962,
    )
    assert Community.objects.count() == len(city.communities())
    users = get_user_model().objects.filter(username__startswith="worker")
    assert users.count() == 2018
    assert users.filter(groups__name=Role.GRID_WORKER.value).count() == 2018
    # One password hash for all: hashed once, and it checks.
    assert users.values("password").distinct().count() == 1
    assert users.get(username="worker0001").check_password("demo12345")
    # Every grid has exactly one lead, and the city's area is Jishou's (on the spheroid).
    leads = Grid.objects.annotate(n=Count("workers", filter=Q(workers__is_lead=True)))
    assert set(leads.values_list("n", flat=True)) == {1}
    assert Camera.objects.filter(grid__isnull=True).count() == 0
    assert all(camera.grid.boundary.intersects(camera.point) for camera in Camera.objects.select_related("grid")[:200])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Transform(ST_Union(boundary), 32649)) / 1e6,"
            " ST_Area(ST_Union(boundary)::geography) / 1e6, SUM(ST_Area(boundary::geography)) / 1e6 FROM grids_grid"
        )
        utm_km2, union_km2, sum_km2 = cursor.fetchone()
    # The real outline's area: 1,078.5 km² in UTM zone 49N (the figure usually quoted), 1,079.0 on the spheroid.
    assert utm_km2 == pytest.approx(1078.5, abs=0.1)
    assert union_km2 == pytest.approx(1079.0, abs=0.1)
    assert sum_km2 == pytest.approx(union_km2, abs=1e-3)  # no overlaps

    datian = Grid.objects.get(name="大田社区第7网格")
    assert datian.community.township.name == "峒河街道"
    inside = datian.boundary.point_on_surface
    found = services.locate(inside.y, inside.x, with_workers=True)
    assert found == datian
    assert "刘少贵" in [w.name for w in found.public_workers]
    assert Grid.objects.get(name="坪朗村第3网格").community.township.name == "寨阳乡"

    demo.seed("another-password", lines.append)
    assert (Grid.objects.count(), GridWorker.objects.count(), Camera.objects.count()) == (688, 2018, 1962)
    assert users.get(username="worker0001").check_password("demo12345")


def test_find_answers_where_the_invented_outline_did_not_reach(db, client):
    """The west of 矮寨镇 (109.548 E, 28.278 N) lay outside the demo's former outline."""
    demo.seed("demo12345", lambda line: None)
    response = client.get("/api/v1/grids/locate/", {"lat": "28.2778", "lng": "109.548"})
    assert response.status_code == 200
    body = response.json()
    assert body["township"]["name"] == "矮寨镇"
    assert body["grid"]["code"].startswith(Township.objects.get(name="矮寨镇").code)
