"""Coverage: per grid per day, patrolled (≥ 30 minutes) or not, minutes and distance."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from patrols import services
from patrols.choices import CoverageLevel
from tests.city import IN_A, IN_B, at, point

DAY = at(0).date()


def patrol(worker, start, minutes: int, *, grid=None, points: int = 0, stop: bool = True):
    """A patrol from ``start`` lasting ``minutes``, with ``points`` fixes walking east ~9.8 m each."""
    lat, lng = IN_B if grid is not None and grid.code.endswith("002") else IN_A
    made = services.start_patrol(worker, grid=grid, started_at=start, now=start).patrol
    if points:
        step = timedelta(minutes=minutes) / max(points - 1, 1)
        fixes = [point(i, start + step * i, lat, lng + 0.0001 * i) for i in range(points)]
        services.add_track_points(worker, made, fixes, now=start + timedelta(minutes=minutes))
    if stop:
        services.stop_patrol(worker, made, now=start + timedelta(minutes=minutes))
    made.refresh_from_db()
    return made


def by_grid(city, items) -> dict:
    letters = {grid.pk: letter for letter, grid in city.grids.items()}
    return {letters[item.grid_id]: item for item in items}


def test_each_grid_of_the_map_is_patrolled_enough_too_briefly_or_not_at_all(city):
    patrol(city.workers["a"], at(8), 25)
    patrol(city.workers["ab"], at(15), 10, grid=city.grids["A"])
    patrol(city.workers["b"], at(9), 12)
    coverage = by_grid(city, services.grid_coverage(DAY))
    assert set(coverage) == {"A", "B", "C", "D"}  # the grid of the old map is not there
    a, b, c = coverage["A"], coverage["B"], coverage["C"]
    assert (a.minutes, a.patrols, a.workers, a.patrolled, a.level) == (35, 2, 2, True, CoverageLevel.DONE)
    assert (b.minutes, b.patrolled, b.level) == (12, False, CoverageLevel.SHORT)
    assert (c.minutes, c.patrols, c.level) == (0, 0, CoverageLevel.NONE)
    assert {item.code for item in services.unpatrolled(DAY)} == {city.grids[k].code for k in "BCD"}


def test_a_patrol_across_midnight_counts_in_each_day_for_its_part(city):
    made = patrol(city.workers["a"], at(23, 40), 40, points=41)
    first = by_grid(city, services.grid_coverage(DAY))["A"]
    second = by_grid(city, services.grid_coverage(DAY + timedelta(days=1)))["A"]
    assert (first.minutes, second.minutes) == (20, 20)
    assert first.distance_m + second.distance_m == pytest.approx(made.distance_m, abs=1)
    assert first.distance_m == pytest.approx(made.distance_m / 2, abs=1)


def test_an_open_patrol_counts_up_to_its_last_point(city):
    patrol(city.workers["a"], at(10), 50, points=11, stop=False)
    assert by_grid(city, services.grid_coverage(DAY))["A"].minutes == 50
    patrol(city.workers["b"], at(10), 50, stop=False)  # no points yet: nothing to count
    assert by_grid(city, services.grid_coverage(DAY))["B"].minutes == 0


def test_patrols_of_other_days_do_not_count(city):
    patrol(city.workers["a"], at(9, day=-1), 60)
    patrol(city.workers["a"], at(9, day=1), 60)
    assert by_grid(city, services.grid_coverage(DAY))["A"].minutes == 0


def test_the_api_gives_the_day_or_the_grids_not_patrolled(api_as, city, dispatcher):
    patrol(city.workers["a"], at(8), 45, points=10)
    api = api_as(dispatcher)
    day = api.get(f"/api/v1/coverage/?date={DAY.isoformat()}")
    assert day.status_code == 200, day.content
    assert (day.data["grids_total"], day.data["grids_patrolled"], day.data["min_minutes"]) == (4, 1, 30)
    a = next(row for row in day.data["grids"] if row["grid"]["id"] == city.grids["A"].pk)
    assert a["patrolled"] is True and a["minutes"] == 45 and a["distance_m"] > 0 and a["level"] == "done"
    idle = api.get(f"/api/v1/coverage/?date={DAY.isoformat()}&patrolled=false").data["grids"]
    assert {row["grid"]["code"] for row in idle} == {city.grids[k].code for k in "BCD"}
    township = api.get(f"/api/v1/coverage/?date={DAY.isoformat()}&township=433101902").data
    assert [row["grid"]["code"] for row in township["grids"]] == [city.grids["D"].code]
    assert api.get("/api/v1/coverage/").status_code == 200  # today by default
    assert api.get("/api/v1/coverage/?date=2026-13-45").status_code == 400


def test_a_worker_sees_the_coverage_of_their_own_grids_only(api_as, city, officer):
    rows = api_as(city.workers["ab"]).get(f"/api/v1/coverage/?date={DAY.isoformat()}").data["grids"]
    assert {row["grid"]["id"] for row in rows} == {city.grids["A"].pk, city.grids["B"].pk}
    assert api_as(officer).get("/api/v1/coverage/").status_code == 403


def test_the_wall_screen_layer_is_geojson_with_the_figures(api_as, city, leader):
    patrol(city.workers["a"], at(8), 31)
    response = api_as(leader).get(f"/api/v1/coverage/geojson/?date={DAY.isoformat()}&zoom=12")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    layer = json.loads(response.content)
    assert len(layer["features"]) == 4  # the active map only
    feature = next(f for f in layer["features"] if f["id"] == city.grids["A"].pk)
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feature["properties"]["level"] == "done" and feature["properties"]["minutes"] == 31
    assert api_as(city.workers["a"]).get("/api/v1/coverage/geojson/").status_code == 403
    assert api_as(leader).get("/api/v1/coverage/geojson/?zoom=99").status_code == 400
