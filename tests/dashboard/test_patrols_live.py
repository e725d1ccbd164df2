"""The wall screen's patrols: start and stop reach it at once, positions in throttled batches
(one event per process per PATROL_LIVE_SECONDS, the newest fix of each patrol), the snapshot
names who is on patrol now and where, and /ws/dashboard/ forwards all three."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import override_settings
from django.utils import timezone

from gridcenter.realtime import WALLSCREEN_GROUP, muted
from patrols import services
from patrols.services.live import on_patrol_now
from tests.city import point
from tests.dashboard.test_consumer import open_screen
from tests.realtime import listening

pytestmark = pytest.mark.django_db(transaction=True)
BATCH_SECONDS = 0.3


def walk(worker, patrol, start_seq: int, lat: float, lng: float, count: int = 3, *, now=None):
    """A batch of ``count`` fixes a second apart, walking east from (lat, lng)."""
    now = now or timezone.now()
    fixes = [point(start_seq + i, now.replace(microsecond=0), lat, lng + i * 0.0001) for i in range(count)]
    for i, fix in enumerate(fixes):
        fix["recorded_at"] = now - timedelta(seconds=count - i)
    return services.add_track_points(worker, patrol, fixes, now=now)


def test_start_and_stop_are_told_at_once_with_the_workers_name_and_grid(city):
    with listening(WALLSCREEN_GROUP) as drain:
        patrol = services.start_patrol(city.worker_a).patrol
        services.stop_patrol(city.worker_a, patrol)
        events = drain()
    started, stopped = events
    assert started["type"] == "patrol.started" and stopped["type"] == "patrol.stopped"
    assert started["data"]["patrol"] == patrol.pk
    assert (started["data"]["name"], started["data"]["grid_name"]) == ("张甲", city.grid_a.name)
    assert stopped["data"]["status"] == "finished" and stopped["data"]["ended_at"]


@override_settings(PATROL_LIVE_SECONDS=BATCH_SECONDS)
def test_positions_go_in_one_batch_per_period_with_each_patrols_newest_fix(city):
    walkers = [city.worker_a, city.worker_b, city.workers["c"]]
    patrols = [services.start_patrol(worker).patrol for worker in walkers]
    with listening(WALLSCREEN_GROUP) as drain:
        for round_ in range(3):  # three batches from each phone within one period
            for index, (worker, patrol) in enumerate(zip(walkers, patrols, strict=True)):
                walk(worker, patrol, round_ * 10, 28.255, 109.705 + index * 0.01 + round_ * 0.001)
        sent = time.monotonic()
        events = drain(timeout=BATCH_SECONDS * 3)
    assert [event["type"] for event in events] == ["patrol.positions"]  # nine batches, one message
    assert time.monotonic() - sent < BATCH_SECONDS * 4
    items = {item["patrol"]: item for item in events[0]["data"]["items"]}
    assert set(items) == {patrol.pk for patrol in patrols}
    first = items[patrols[0].pk]
    assert first["name"] == "张甲" and first["worker"] == city.worker_a.pk
    # The last fix of the last batch.
    assert (first["lat"], first["lng"]) == (28.255, round(109.705 + 0.002 + 0.0002, 5))
    patrols[0].refresh_from_db()
    assert first["at"] == patrols[0].last_point_at.isoformat()

    with listening(WALLSCREEN_GROUP) as drain:  # the next period: a new batch
        walk(city.worker_a, patrols[0], 100, 28.256, 109.706)
        [event] = drain(timeout=BATCH_SECONDS * 3)
    assert [item["patrol"] for item in event["data"]["items"]] == [patrols[0].pk]


@override_settings(PATROL_LIVE_SECONDS=BATCH_SECONDS)
def test_no_position_for_a_resent_batch_an_ended_patrol_or_a_bulk_load(city):
    patrol = services.start_patrol(city.worker_a).patrol
    now = timezone.now()
    walk(city.worker_a, patrol, 0, 28.255, 109.705, now=now)
    time.sleep(BATCH_SECONDS * 2)  # that batch's message has gone
    with listening(WALLSCREEN_GROUP) as drain:
        walk(city.worker_a, patrol, 0, 28.255, 109.705, now=now)  # the same batch again: nothing new
        with muted():
            walk(city.worker_a, patrol, 10, 28.255, 109.705)
        services.stop_patrol(city.worker_a, patrol)
        late = walk(city.worker_a, patrol, 20, 28.255, 109.705, now=timezone.now() - timedelta(seconds=1))
        events = drain(timeout=BATCH_SECONDS * 3)
    assert late.stored == 0 or not late.patrol.is_active
    assert [event["type"] for event in events] == ["patrol.stopped"]


@override_settings(PATROL_LIVE_SECONDS=BATCH_SECONDS)
def test_the_snapshot_names_who_is_on_patrol_and_their_newest_fix(city):
    walking = services.start_patrol(city.worker_a).patrol
    services.start_patrol(city.worker_b)  # no fix yet
    done = services.start_patrol(city.workers["c"]).patrol
    services.stop_patrol(city.workers["c"], done)
    walk(city.worker_a, walking, 0, 28.255, 109.705)
    rows = {row["patrol"]: row for row in on_patrol_now()}
    assert done.pk not in rows and len(rows) == 2
    mine = rows[walking.pk]
    walking.refresh_from_db()
    assert (mine["name"], mine["grid_name"], mine["lat"], mine["lng"]) == ("张甲", city.grid_a.name, 28.255, 109.7052)
    assert mine["at"] == walking.last_point_at.isoformat()
    [other] = [row for pk, row in rows.items() if pk != walking.pk]
    assert (other["name"], other["lat"], other["at"]) == ("李乙", None, None)


@override_settings(PATROL_LIVE_SECONDS=BATCH_SECONDS)
async def test_the_screen_gets_the_patrols_in_its_snapshot_and_then_their_news(city):
    patrol = (await sync_to_async(services.start_patrol)(city.worker_a)).patrol
    screen = await open_screen(city.leader)
    snapshot = await screen.receive_json_from(timeout=10)
    assert [row["patrol"] for row in snapshot["data"]["patrols"]] == [patrol.pk]

    await sync_to_async(walk)(city.worker_a, patrol, 0, 28.255, 109.705)
    positions = await screen.receive_json_from(timeout=5)
    while patrol.pk not in [item["patrol"] for item in positions["data"]["items"]]:
        positions = await screen.receive_json_from(timeout=5)  # a batch an earlier test left behind
    assert positions["type"] == "patrol.positions" and positions["v"] == 1
    await sync_to_async(services.stop_patrol)(city.worker_a, patrol)
    stopped = await screen.receive_json_from(timeout=5)
    assert stopped["type"] == "patrol.stopped" and stopped["data"]["patrol"] == patrol.pk
    await screen.disconnect()
