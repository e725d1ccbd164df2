"""The demo city's generator, in memory: tiling, counts, named places, determinism."""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter

import pytest
import shapely

from grids import codes
from grids.citygen import (
    AREA_KM2,
    BBOX,
    DATA_FILE,
    URBAN_CORE,
    area_km2,
    generate_city,
    geometry_to_degrees,
    make_outline,
)

# Overlaps and gaps below this are rounding, not defects (km²; 1e-6 km² = 1 m²).
TOLERANCE_KM2 = 1e-6


@pytest.fixture(scope="session")
def city():
    return generate_city()


@pytest.fixture(scope="session")
def expected() -> dict[str, dict[str, int]]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return {
            row["name"]: {"grids": int(row["grids"]), "workers": int(row["workers"])} for row in csv.DictReader(handle)
        }


def test_counts_per_township_match_the_file(city, expected):
    assert [t.name for t in city.townships] == list(expected)
    for township in city.townships:
        grids = [g for c in township.communities for g in c.grids]
        assert len(grids) == expected[township.name]["grids"], township.name
        codes_here = {g.code for g in grids}
        workers = [w for w in city.workers if w.grid_code in codes_here]
        assert len(workers) == expected[township.name]["workers"], township.name
    assert len(city.grids()) == 688
    assert len(city.workers) == 2018
    assert len(city.cameras) == 1962


def test_outline_is_jishou_sized_and_inside_the_real_bounding_box(city):
    west, south, east, north = city.outline.bounds
    assert BBOX[0] <= west and BBOX[1] <= south and east <= BBOX[2] and north <= BBOX[3]
    assert area_km2(city.outline) == pytest.approx(AREA_KM2, rel=0.01)
    assert len(city.outline.geoms) == 1


def test_the_outline_is_the_real_one_and_every_township_holds_its_seat(city):
    real = geometry_to_degrees(make_outline())
    assert area_km2(real) == pytest.approx(1078.2, abs=0.1)  # 1,078.5 on the spheroid (test_seed)
    # The grids cover the real outline, to within rounding on the 1e-7° grid (< 100 m²).
    assert area_km2(shapely.symmetric_difference(city.outline, real)) < 1e-4
    # Each township is one piece around its seat, and so is every grid.
    for township in city.townships:
        assert len(township.boundary.geoms) == 1, township.name
        assert township.boundary.contains(shapely.Point(township.seat)), township.name
    assert all(len(grid.boundary.geoms) == 1 for grid in city.grids())
    # Seats the file puts outside the outline (河溪镇, 排绸乡) moved inside by about 1-2 km.
    seats = {t.name: t.seat for t in city.townships}
    with DATA_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            given = shapely.Point(float(row["lon"]), float(row["lat"]))
            assert shapely.distance(given, shapely.Point(seats[row["name"]])) < 0.03, row["name"]  # ~3 km


def test_grids_tile_the_outline_without_overlap_or_gap(city):
    grids = [grid.boundary for grid in city.grids()]
    assert all(shapely.is_valid(grids))
    # Edge-matched, non-overlapping: a valid polygonal coverage.
    assert shapely.coverage_is_valid(grids)
    union = shapely.union_all(grids)
    assert area_km2(shapely.symmetric_difference(union, city.outline)) < TOLERANCE_KM2
    assert sum(area_km2(g) for g in grids) == pytest.approx(area_km2(city.outline), abs=TOLERANCE_KM2)
    assert all(len(polygon.interiors) == 0 for polygon in shapely.get_parts(union))


def test_each_level_tiles_its_parent_and_codes_nest(city):
    for township in city.townships:
        assert township.code.startswith(codes.CITY_CODE) and len(township.code) == codes.TOWNSHIP_CODE_LENGTH
        seat = shapely.Point(township.seat)
        assert township.boundary.contains(seat), f"{township.name} does not contain its seat"
        communities = [c.boundary for c in township.communities]
        assert shapely.coverage_is_valid(communities)
        assert area_km2(shapely.symmetric_difference(shapely.union_all(communities), township.boundary)) < 1e-6
        for community in township.communities:
            assert community.code.startswith(township.code) and len(community.code) == codes.COMMUNITY_CODE_LENGTH
            union = shapely.union_all([g.boundary for g in community.grids])
            assert area_km2(shapely.symmetric_difference(union, community.boundary)) < TOLERANCE_KM2
            for grid in community.grids:
                assert grid.code.startswith(community.code) and codes.is_grid_code(grid.code)
    assert len({g.code for g in city.grids()}) == 688


def test_the_named_places_exist(city):
    by_name = {t.name: t for t in city.townships}
    datian = next(c for c in by_name["峒河街道"].communities if c.name == "大田社区")
    assert datian.grids[6].name == "大田社区第7网格" and datian.grids[6].code.endswith("007")
    pinglang = next(c for c in by_name["寨阳乡"].communities if c.name == "坪朗村")
    assert pinglang.grids[2].name == "坪朗村第3网格" and pinglang.grids[2].households == 78
    leads = {w.grid_code: w.name for w in city.workers if w.is_lead}
    assert leads[datian.grids[6].code] == "刘少贵"
    assert leads[pinglang.grids[2].code] == "施富保"


def test_the_urban_core_is_dense(city):
    def median_area(names):
        return statistics.median(
            area_km2(g.boundary) for t in city.townships if t.name in names for c in t.communities for g in c.grids
        )

    rural = {t.name for t in city.townships} - set(URBAN_CORE)
    assert median_area(URBAN_CORE) * 2 < median_area(rural)
    urban_codes = {t.code for t in city.townships if t.name in URBAN_CORE}
    urban_area = sum(area_km2(t.boundary) for t in city.townships if t.name in URBAN_CORE)
    urban_cameras = sum(1 for cam in city.cameras if cam.grid_code and cam.grid_code[:9] in urban_codes)
    # More than twice the cameras that an even spread over the area would put there.
    assert urban_cameras / len(city.cameras) > 2 * urban_area / area_km2(city.outline)


def test_workers_accounts_leads_and_phones(city):
    assert [w.username for w in city.workers] == [f"worker{n:04d}" for n in range(1, 2019)]
    leads = Counter(w.grid_code for w in city.workers if w.is_lead)
    assert set(leads) == {g.code for g in city.grids()} and set(leads.values()) == {1}
    assert all(w.is_public for w in city.workers if w.is_lead)
    phones = [w.phone for w in city.workers]
    assert len(set(phones)) == len(phones) and all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", w.name) for w in city.workers)


def test_cameras_lie_in_the_city_with_their_grid(city):
    grids = {g.code: g.boundary for g in city.grids()}
    assert len({c.code for c in city.cameras}) == 1962
    for camera in city.cameras[:300]:
        assert len(camera.code) == 20
        assert camera.grid_code is not None
        assert grids[camera.grid_code].distance(shapely.Point(camera.lng, camera.lat)) < 1e-6


def test_same_seed_same_city_other_seed_other_city(city):
    again = generate_city()
    assert [g.boundary.wkb for g in again.grids()[:50]] == [g.boundary.wkb for g in city.grids()[:50]]
    assert [w.phone for w in again.workers] == [w.phone for w in city.workers]
    other = generate_city(seed=7)
    assert [g.boundary.wkb for g in other.grids()[:50]] != [g.boundary.wkb for g in city.grids()[:50]]


def test_a_scaled_city_keeps_the_guarantees():
    big = generate_city(scale=3)
    grids = [g.boundary for g in big.grids()]
    assert len(grids) == 688 * 3 and len(big.workers) == 2018 * 3
    assert shapely.coverage_is_valid(grids)
    assert area_km2(shapely.symmetric_difference(shapely.union_all(grids), big.outline)) < TOLERANCE_KM2
    assert len({g.code for g in big.grids()}) == len(grids)
