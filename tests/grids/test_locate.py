"""Point → grid: interior points, shared edges and vertices, outside, generations."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from grids.models import Generation, Grid
from grids.services import activate_generation, locate, nearest_cameras
from tests.grids.conftest import rectangle


@pytest.mark.parametrize(
    ("lat", "lng", "letter"),
    [
        (28.255, 109.705, "A"),
        (28.255, 109.715, "B"),
        (28.265, 109.705, "C"),
        (28.265, 109.715, "D"),
    ],
)
def test_interior_points(small_city, lat, lng, letter):
    assert locate(lat, lng) == small_city.grids[letter]


@pytest.mark.parametrize(
    ("lat", "lng", "letter"),
    [
        (28.255, 109.71, "A"),  # edge A|B → the lower code, A
        (28.26, 109.705, "A"),  # edge A|C
        (28.26, 109.715, "B"),  # edge B|D
        (28.265, 109.71, "C"),  # edge C|D
        (28.26, 109.71, "A"),  # the vertex shared by all four
        (28.25, 109.70, "A"),  # an outer corner
        (28.27, 109.72, "D"),  # another outer corner
        (28.25, 109.715, "B"),  # the outer edge
    ],
)
def test_shared_edges_and_vertices_always_go_to_the_same_grid(small_city, lat, lng, letter):
    for _ in range(3):
        assert locate(lat, lng) == small_city.grids[letter]


@pytest.mark.parametrize(("lat", "lng"), [(28.2499, 109.705), (28.30, 109.75), (0, 0), (-90, 180)])
def test_outside_the_city(small_city, lat, lng):
    assert locate(lat, lng) is None


def test_a_new_generation_keeps_the_old_grids(small_city):
    old_a = small_city.grids["A"]
    redraw = Generation.objects.create(description="redraw: A and B merged")
    merged = Grid.objects.create(
        generation=redraw,
        community=old_a.community,
        code=old_a.code,
        name="合并网格",
        boundary=MultiPolygon(Polygon.from_bbox((109.70, 28.25, 109.72, 28.26)), srid=4326),
    )
    activate_generation(redraw)

    assert locate(28.255, 109.715) == merged
    assert locate(28.265, 109.705) is None  # C was not redrawn into the new map
    # The old grid row is still there, unchanged: a case filed in it keeps it.
    old_a.refresh_from_db()
    assert old_a.name == "南社区第1网格" and old_a.generation_id == small_city.generation.pk
    assert locate(28.255, 109.715, generation=small_city.generation) == small_city.grids["B"]
    assert Generation.objects.active() == redraw


def test_activating_a_generation_moves_cameras_to_its_grids(small_city):
    redraw = Generation.objects.create(description="redraw")
    community = small_city.grids["A"].community
    big = Grid.objects.create(
        generation=redraw,
        community=community,
        code=community.code + "009",
        name="大网格",
        boundary=rectangle(109.70, 28.25, 109.72, 28.27),
    )
    assert activate_generation(redraw) == 3
    cameras = nearest_cameras(28.255, 109.705, limit=3)
    assert [c.grid_id for c in cameras[:2]] == [big.pk, big.pk]
    assert cameras[2].grid_id is None  # outside every grid


def test_nearest_cameras_by_true_distance(small_city):
    cameras = nearest_cameras(28.2551, 109.7051, limit=2)
    assert [c.code for c in cameras] == ["43310100001320000001", "43310100001320000002"]
    assert cameras[0].distance_m < 20 < cameras[1].distance_m
    assert len(nearest_cameras(28.2551, 109.7051, limit=10)) == 3


def test_the_located_grid_is_a_full_model_instance(small_city, django_assert_num_queries):
    with django_assert_num_queries(1):
        grid = locate(28.265, 109.715)
        assert (grid.community.name, grid.community.township.name) == ("北社区", "测试街道")
        assert grid.generation_id == small_city.generation.pk
    assert grid == small_city.grids["D"]
    assert grid.boundary.equals(small_city.grids["D"].boundary)  # deferred, loaded on demand
