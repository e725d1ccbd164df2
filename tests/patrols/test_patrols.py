"""Patrols: start, track batches (out of order, duplicated), distance and duration, stop, permissions."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from patrols import services
from patrols.choices import PatrolStatus
from patrols.exceptions import Conflict, FieldWorkPermissionDenied, FieldWorkValidationError, NotFound
from patrols.limits import STALE_AFTER
from patrols.models import Patrol, PatrolReport, TrackPoint
from tests.city import IN_A, IN_B, point
from tests.realtime import listening

EARTH_RADIUS_M = 6_370_986  # PostGIS ST_DistanceSphere's sphere


def sphere_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def walk(start_seq: int, count: int, t0, *, step_s: int = 5) -> list[dict]:
    """Points walking east through grid A, ~9.8 m every 5 s."""
    lat, lng = IN_A
    seqs = range(start_seq, start_seq + count)
    return [point(seq, t0 + timedelta(seconds=step_s * seq), lat, lng + 0.0001 * seq) for seq in seqs]


def straight_distance(count: int) -> float:
    lat, lng = IN_A
    return sum(sphere_m((lat, lng + 0.0001 * i), (lat, lng + 0.0001 * (i + 1))) for i in range(count - 1))


def api_points(points: list[dict]) -> dict:
    return {"points": [{**p, "recorded_at": p["recorded_at"].isoformat()} for p in points]}


@pytest.fixture
def worker(city):
    return city.workers["a"]


# --- starting ---------------------------------------------------------------------------------------


def test_a_worker_starts_a_patrol_of_their_only_grid_once_per_client_uuid(api_as, city, worker):
    api = api_as(worker)
    key = str(uuid.uuid4())
    first = api.post("/api/v1/patrols/", {"client_uuid": key}, format="json")
    assert first.status_code == 201, first.content
    assert first.data["grid"]["id"] == city.grids["A"].pk
    assert first.data["status"] == PatrolStatus.ACTIVE
    again = api.post("/api/v1/patrols/", {"client_uuid": key}, format="json")
    assert again.status_code == 200
    assert again.data["id"] == first.data["id"]
    assert Patrol.objects.count() == 1


def test_a_second_open_patrol_is_a_conflict(api_as, worker):
    api = api_as(worker)
    assert api.post("/api/v1/patrols/", {}, format="json").status_code == 201
    second = api.post("/api/v1/patrols/", {"client_uuid": str(uuid.uuid4())}, format="json")
    assert second.status_code == 409
    assert second.data["code"] == "patrol_active"


def test_a_worker_of_two_grids_chooses_one_of_theirs(api_as, city):
    api = api_as(city.workers["ab"])
    assert "grid" in api.post("/api/v1/patrols/", {}, format="json").data
    assert api.post("/api/v1/patrols/", {"grid": city.grids["C"].pk}, format="json").status_code == 400
    started = api.post("/api/v1/patrols/", {"grid": city.grids["B"].pk}, format="json")
    assert started.status_code == 201
    assert started.data["grid"]["code"] == city.grids["B"].code


def test_a_worker_without_a_grid_of_the_current_map_cannot_start(api_as, city):
    response = api_as(city.workers["old"]).post("/api/v1/patrols/", {}, format="json")
    assert response.status_code == 400
    assert "grid" in response.data


@pytest.mark.parametrize("persona", ["dispatcher", "leader", "officer"])
def test_only_grid_workers_go_on_patrol(api_as, city, request, persona):
    response = api_as(request.getfixturevalue(persona)).post("/api/v1/patrols/", {}, format="json")
    assert response.status_code == 403
    assert not Patrol.objects.exists()


def test_anonymous_callers_get_401(api_client, city):
    assert api_client.get("/api/v1/patrols/").status_code == 401
    assert api_client.post("/api/v1/patrols/", {}, format="json").status_code == 401


def test_a_phone_that_started_offline_gives_the_start_time_within_bounds(worker):
    now = timezone.now()
    with pytest.raises(FieldWorkValidationError) as future:
        services.start_patrol(worker, started_at=now + timedelta(minutes=30), now=now)
    assert "started_at" in future.value.errors
    with pytest.raises(FieldWorkValidationError):
        services.start_patrol(worker, started_at=now - timedelta(days=3), now=now)
    patrol = services.start_patrol(worker, started_at=now - timedelta(hours=2), now=now).patrol
    assert patrol.started_at == now - timedelta(hours=2)


def test_an_abandoned_open_patrol_is_closed_at_its_last_point_when_a_new_one_starts(worker):
    t0 = timezone.now() - STALE_AFTER - timedelta(hours=2)
    old = services.start_patrol(worker, started_at=t0, now=t0).patrol
    services.add_track_points(worker, old, walk(0, 13, t0), now=t0 + timedelta(minutes=5))
    new = services.start_patrol(worker).patrol
    old.refresh_from_db()
    assert old.status == PatrolStatus.FINISHED and old.auto_closed
    assert old.ended_at == t0 + timedelta(seconds=60)
    assert old.duration_s == 60
    assert new.is_active


def test_the_sweep_closes_only_stale_patrols_and_is_safe_to_repeat(city, worker):
    now = timezone.now()
    stale = services.start_patrol(worker, started_at=now - timedelta(hours=20), now=now - timedelta(hours=20)).patrol
    fresh = services.start_patrol(city.workers["b"], started_at=now - timedelta(hours=6), now=now).patrol
    services.add_track_points(city.workers["b"], fresh, walk(0, 2, now - timedelta(minutes=10)), now=now)
    assert services.close_stale_patrols(now) == 1
    assert services.close_stale_patrols(now) == 0
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == PatrolStatus.FINISHED and stale.ended_at == stale.started_at
    assert fresh.is_active


def test_starting_and_stopping_is_announced_to_the_wall_screen(worker, django_capture_on_commit_callbacks):
    with listening("wallscreen") as drain:
        with django_capture_on_commit_callbacks(execute=True):
            patrol = services.start_patrol(worker).patrol
        with django_capture_on_commit_callbacks(execute=True):
            services.stop_patrol(worker, patrol)
        events = drain()
    assert [event["type"] for event in events] == ["patrol.started", "patrol.stopped"]
    assert events[0]["data"]["grid"] == patrol.grid_id


# --- track batches --------------------------------------------------------------------------------------


def test_batches_out_of_order_or_repeated_are_stored_once_and_in_order(api_as, worker):
    api = api_as(worker)
    patrol = api.post("/api/v1/patrols/", {}, format="json").data
    t0 = timezone.now() - timedelta(minutes=10)
    url = f"/api/v1/patrols/{patrol['id']}/points/"
    later = api.post(url, api_points(walk(10, 10, t0)), format="json")
    assert later.status_code == 200, later.content
    assert later.data["stored"] == 10
    earlier = api.post(url, api_points(walk(0, 10, t0)), format="json")
    assert earlier.data["stored"] == 10
    overlap = api.post(url, api_points(walk(5, 10, t0)), format="json")
    assert (overlap.data["stored"], overlap.data["duplicates"]) == (0, 10)
    again = api.post(url, api_points(walk(0, 10, t0)), format="json")
    assert again.data["duplicates"] == 10

    stored = api.get(url).data
    assert [p["seq"] for p in stored] == list(range(20))
    assert TrackPoint.objects.filter(patrol_id=patrol["id"]).count() == 20
    assert again.data["patrol"]["point_count"] == 20
    assert again.data["patrol"]["last_seq"] == 19
    assert again.data["patrol"]["distance_m"] == round(straight_distance(20))


def test_a_repeated_seq_inside_one_batch_keeps_the_first(worker):
    patrol = services.start_patrol(worker).patrol
    t0 = timezone.now() - timedelta(minutes=1)
    result = services.add_track_points(worker, patrol, [point(0, t0, *IN_A), point(0, t0, *IN_B)])
    assert (result.stored, result.duplicates) == (1, 1)
    assert TrackPoint.objects.get(patrol=patrol).point.x == pytest.approx(IN_A[1])


def test_the_distance_kept_batch_by_batch_equals_the_whole_track_measured_at_once(worker, city):
    t0 = timezone.now() - timedelta(minutes=30)
    lat, lng = IN_A
    zigzag = [point(i, t0 + timedelta(seconds=5 * i), lat + 0.0002 * (i % 3), lng + 0.0001 * i) for i in range(60)]
    zigzag[17]["accuracy"] = 500.0  # a cell-tower fix: left out
    zigzag[20]["accuracy"] = 300.0  # ... also at the end of a batch: the next one starts from 19
    zigzag[33] = point(33, zigzag[33]["recorded_at"], lat + 0.05, lng)  # a 5 km jump in 5 s: left out
    incremental = services.start_patrol(worker).patrol
    for start in range(0, 60, 7):
        services.add_track_points(worker, incremental, zigzag[start : start + 7])
    whole = services.start_patrol(city.workers["b"]).patrol
    services.add_track_points(city.workers["b"], whole, list(reversed(zigzag)))
    incremental.refresh_from_db()
    whole.refresh_from_db()
    assert incremental.distance_m == pytest.approx(whole.distance_m, abs=0.01)

    usable = [(p["lat"], p["lng"]) for i, p in enumerate(zigzag) if i not in (17, 20)]
    steps = [sphere_m(a, b) for a, b in zip(usable, usable[1:], strict=False)]
    expected = sum(step for step in steps if step < 1000)  # the two steps to and from the jump go
    assert whole.distance_m == pytest.approx(expected, rel=1e-4)


def test_stop_computes_the_duration_and_a_second_stop_changes_nothing(api_as, worker):
    t0 = timezone.now() - timedelta(minutes=40)
    patrol = services.start_patrol(worker, started_at=t0).patrol
    services.add_track_points(worker, patrol, walk(0, 30, t0))
    api = api_as(worker)
    ended = t0 + timedelta(minutes=35)
    stopped = api.post(f"/api/v1/patrols/{patrol.pk}/stop/", {"ended_at": ended.isoformat()}, format="json")
    assert stopped.status_code == 200, stopped.content
    assert stopped.data["status"] == PatrolStatus.FINISHED
    assert stopped.data["duration_s"] == 35 * 60
    assert stopped.data["distance_m"] == round(straight_distance(30))
    again = api.post(f"/api/v1/patrols/{patrol.pk}/stop/", {}, format="json")
    assert again.status_code == 200
    assert again.data["ended_at"] == stopped.data["ended_at"]
    assert again.data["duration_s"] == 35 * 60


def test_a_stop_before_the_start_is_refused(worker):
    t0 = timezone.now() - timedelta(minutes=10)
    patrol = services.start_patrol(worker, started_at=t0).patrol
    with pytest.raises(FieldWorkValidationError):
        services.stop_patrol(worker, patrol, ended_at=t0 - timedelta(minutes=1))
    patrol.refresh_from_db()
    assert patrol.is_active


def test_a_late_batch_after_the_stop_keeps_only_the_points_recorded_before_the_end(worker):
    t0 = timezone.now() - timedelta(minutes=20)
    patrol = services.start_patrol(worker, started_at=t0).patrol
    services.stop_patrol(worker, patrol, ended_at=t0 + timedelta(seconds=50))
    result = services.add_track_points(worker, patrol, walk(0, 20, t0))
    assert (result.stored, result.after_end) == (11, 9)
    patrol.refresh_from_db()
    assert patrol.point_count == 11
    assert patrol.distance_m == pytest.approx(straight_distance(11), rel=1e-4)


def test_points_can_be_sent_to_the_patrol_by_its_client_uuid(api_as, worker):
    api = api_as(worker)
    key = str(uuid.uuid4())
    api.post("/api/v1/patrols/", {"client_uuid": key}, format="json")
    response = api.post(f"/api/v1/patrols/{key}/points/", api_points(walk(0, 3, timezone.now())), format="json")
    assert response.status_code == 200, response.content
    assert response.data["stored"] == 3
    assert api.post(f"/api/v1/patrols/{key}/stop/", {}, format="json").data["status"] == PatrolStatus.FINISHED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"points": []}, "points"),
        ({"points": [{"seq": 0, "lat": 28.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": -1, "recorded_at": "2026-11-27T08:00:00+08:00", "lat": 28.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": 0, "recorded_at": "2026-11-27T08:00:00+08:00", "lat": 128.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": 0, "recorded_at": "not a time", "lat": 28.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": "0", "recorded_at": "2026-11-27T08:00:00+08:00", "lat": 28.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": 0, "recorded_at": "2026-11-27T08:00:00", "lat": 28.2, "lng": 109.7}]}, "points"),
        ({"points": [{"seq": 0, "recorded_at": "2026-11-27T08:00:00+08:00", "lat": "x", "lng": 109.7}]}, "points"),
        ({"points": [7]}, "points"),
        ({"points": "all of them"}, "points"),
        ({"nothing": 1}, "points"),
    ],
)
def test_a_bad_batch_is_refused_whole_with_field_messages(api_as, worker, body, field):
    api = api_as(worker)
    patrol = api.post("/api/v1/patrols/", {}, format="json").data
    valid = {"seq": 1, "recorded_at": timezone.now().isoformat(), "lat": 28.255, "lng": 109.705}
    if isinstance(body.get("points"), list) and body["points"]:
        body = {"points": [valid, *body["points"]]}  # one good point does not save the batch
    response = api.post(f"/api/v1/patrols/{patrol['id']}/points/", body, format="json")
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.data), response.data
    assert not TrackPoint.objects.exists()


def test_too_many_points_or_points_from_the_future_are_refused(worker):
    patrol = services.start_patrol(worker).patrol
    now = timezone.now()
    with pytest.raises(FieldWorkValidationError):
        services.add_track_points(worker, patrol, walk(0, 501, now - timedelta(hours=1)), now=now)
    future = walk(0, 3, now)
    future[2]["recorded_at"] = now + timedelta(hours=1)
    with pytest.raises(FieldWorkValidationError) as error:
        services.add_track_points(worker, patrol, future, now=now)
    assert "points[2].recorded_at" in error.value.errors
    assert not TrackPoint.objects.exists()


# --- who sees and changes what ---------------------------------------------------------------------------


def test_a_worker_sees_only_their_own_patrols_and_the_centre_sees_all(api_as, city, dispatcher, leader, officer):
    mine = services.start_patrol(city.workers["a"]).patrol
    theirs = services.start_patrol(city.workers["b"]).patrol
    listed = api_as(city.workers["a"]).get("/api/v1/patrols/").data["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert api_as(city.workers["a"]).get(f"/api/v1/patrols/{theirs.pk}/").status_code == 404
    assert api_as(city.workers["a"]).get(f"/api/v1/patrols/{theirs.pk}/points/").status_code == 404
    for person in (dispatcher, leader):
        rows = api_as(person).get("/api/v1/patrols/").data["results"]
        assert {row["id"] for row in rows} == {mine.pk, theirs.pk}
    assert api_as(officer).get("/api/v1/patrols/").status_code == 403


def test_nobody_else_can_add_points_to_or_stop_a_patrol(api_as, city, dispatcher):
    patrol = services.start_patrol(city.workers["a"]).patrol
    body = api_points(walk(0, 2, timezone.now()))
    other = api_as(city.workers["b"])
    assert other.post(f"/api/v1/patrols/{patrol.pk}/points/", body, format="json").status_code == 404
    assert other.post(f"/api/v1/patrols/{patrol.pk}/stop/", {}, format="json").status_code == 404
    assert api_as(dispatcher).post(f"/api/v1/patrols/{patrol.pk}/points/", body, format="json").status_code == 403
    assert api_as(dispatcher).post(f"/api/v1/patrols/{patrol.pk}/stop/", {}, format="json").status_code == 403
    with pytest.raises(NotFound):
        services.stop_patrol(city.workers["b"], patrol)
    with pytest.raises(FieldWorkPermissionDenied):
        services.stop_patrol(dispatcher, patrol)
    patrol.refresh_from_db()
    assert patrol.is_active and patrol.point_count == 0


def test_the_list_filters_by_status_and_day(api_as, city, dispatcher):
    services.start_patrol(city.workers["a"])
    done = services.start_patrol(city.workers["b"]).patrol
    services.stop_patrol(city.workers["b"], done)
    api = api_as(dispatcher)
    assert [r["id"] for r in api.get("/api/v1/patrols/?status=finished").data["results"]] == [done.pk]
    today = timezone.localdate().isoformat()
    assert api.get(f"/api/v1/patrols/?date={today}").data["count"] == 2
    assert api.get("/api/v1/patrols/?date=2001-01-01").data["count"] == 0
    assert api.get("/api/v1/patrols/?date=yesterday").status_code == 400


# --- reports made on patrol ------------------------------------------------------------------------------------


def test_a_report_made_during_a_patrol_is_linked_to_it_once(api_as, city, worker):
    patrol = services.start_patrol(worker).patrol
    case = city.report(worker)
    api = api_as(worker)
    linked = api.post(f"/api/v1/patrols/{patrol.pk}/reports/", {"case": case.pk}, format="json")
    assert linked.status_code == 200, linked.content
    assert linked.data["reports"] == [case.pk]
    assert api.post(f"/api/v1/patrols/{patrol.pk}/reports/", {"case": case.pk}, format="json").status_code == 200
    assert PatrolReport.objects.get().case == case
    other = services.start_patrol(city.workers["ab"], grid=city.grids["A"]).patrol
    someone_elses = city.report(city.workers["ab"])
    refused = api.post(f"/api/v1/patrols/{patrol.pk}/reports/", {"case": someone_elses.pk}, format="json")
    assert refused.status_code == 400
    services.stop_patrol(worker, patrol)
    later = services.start_patrol(worker).patrol
    with pytest.raises(Conflict):
        services.link_report(worker, later, case)
    assert other.reports.count() == 0
