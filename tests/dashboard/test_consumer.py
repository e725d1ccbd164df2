"""/ws/dashboard/ through the real ASGI stack and channels-redis: who may connect, the
snapshot, one message per case event with the right figures, and resynchronising."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from dashboard import live
from dashboard.ranking import refresh
from gridcenter.asgi import application
from gridcenter.realtime import WALLSCREEN_GROUP, send_now
from incidents import services
from incidents.choices import CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


def session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [ORIGIN, HOST, (b"cookie", cookie.encode())]


async def open_screen(user=None, headers=None) -> WebsocketCommunicator:
    if headers is None:
        headers = await sync_to_async(session_headers)(user) if user else [ORIGIN, HOST]
    communicator = WebsocketCommunicator(application, "/ws/dashboard/", headers=headers)
    connected, _subprotocol = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def refusal_code(user=None) -> int:
    communicator = await open_screen(user)
    message = await communicator.receive_output(timeout=5)
    assert message["type"] == "websocket.close"
    return message["code"]


async def test_anonymous_screens_are_closed_with_4401(city):
    assert await refusal_code() == 4401


@pytest.mark.parametrize("who", ["worker_a", "officer_lead"])
async def test_grid_workers_and_officers_are_closed_with_4403(city, who):
    assert await refusal_code(getattr(city, who)) == 4403


async def test_a_foreign_origin_is_refused(city):
    headers = [h for h in await sync_to_async(session_headers)(city.leader) if h[0] != b"origin"]
    communicator = WebsocketCommunicator(
        application, "/ws/dashboard/", headers=[*headers, (b"origin", b"https://evil.example")]
    )
    connected, _code = await communicator.connect(timeout=5)
    assert not connected


@pytest.mark.parametrize("who", ["leader", "dispatcher", "admin"])
async def test_wall_screen_roles_get_a_snapshot(city, who):
    await sync_to_async(city.case_in)(CaseStatus.RESOLVED)
    communicator = await open_screen(getattr(city, who))
    message = await communicator.receive_json_from(timeout=10)
    assert message["v"] == 1 and message["type"] == "snapshot"
    assert message["data"]["figures"] == {
        "received": 1,
        "closed": 0,
        "pending_review": 1,
        "in_progress": 0,
        "other": 0,
    }
    await communicator.disconnect()


async def test_one_message_per_case_event_with_the_updated_figures(city):
    communicator = await open_screen(city.leader)
    await communicator.receive_json_from(timeout=10)

    case = await sync_to_async(city.report)()
    message = await communicator.receive_json_from(timeout=5)
    assert message["v"] == 1 and message["type"] == "case.event"
    data = message["data"]
    assert data["event"]["action"] == "report" and data["event"]["case"] == case.pk
    assert data["case"]["tracking_no"] == case.tracking_no and data["case"]["status"] == CaseStatus.REPORTED
    assert (data["case"]["lat"], data["case"]["lng"]) == (28.255, 109.705)
    assert data["figures"] == await sync_to_async(services.summary)(city.leader)
    assert data["figures"]["received"] == 1
    assert data["today"]["reported"] == 1
    assert data["grid"] == {"id": city.grid_a.pk, "open": 1, "overdue": 0}
    assert await communicator.receive_nothing(timeout=0.5)

    # Accept and dispatch at once is one step for the screen: one message.
    await sync_to_async(services.dispatch_case)(city.dispatcher, case, department=city.lead)
    message = await communicator.receive_json_from(timeout=5)
    assert message["data"]["event"]["action"] == "dispatch"
    assert message["data"]["figures"] == {
        "received": 1,
        "closed": 0,
        "pending_review": 0,
        "in_progress": 1,
        "other": 0,
    }
    assert message["data"]["today"]["dispatched"] == 1
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_screens_in_one_process_share_one_update_per_event(city, monkeypatch):
    calls = []
    real = live.event_update

    def counted(event, now=None):
        calls.append(event["type"])
        return real(event, now)

    monkeypatch.setattr(live, "event_update", counted)
    screens = [await open_screen(city.leader) for _ in range(3)]
    for screen in screens:
        await screen.receive_json_from(timeout=10)
    await sync_to_async(city.report)()
    texts = [await screen.receive_from(timeout=5) for screen in screens]
    assert len(set(texts)) == 1
    assert calls == ["case.report"]
    for screen in screens:
        await screen.disconnect()


async def test_screens_that_connect_together_share_a_snapshot_read_after_they_asked(city, monkeypatch):
    # A wall of screens reconnecting at once (after a restart) must not queue one snapshot
    # reading each in the single database thread; none may get a reading begun before it asked.
    began = []
    real = live.snapshot_text

    def counted(user):
        began.append(time.monotonic())
        time.sleep(0.3)
        return real(user)

    monkeypatch.setattr(live, "snapshot_text", counted)
    headers = await sync_to_async(session_headers)(city.leader)
    asked = time.monotonic()
    screens = await asyncio.gather(*(open_screen(headers=headers) for _ in range(8)))
    snapshots = [await screen.receive_json_from(timeout=20) for screen in screens]
    assert {snapshot["type"] for snapshot in snapshots} == {"snapshot"}
    assert 1 <= len(began) <= 3
    assert min(began) >= asked
    # A screen that asks after the last reading began gets a reading of its own.
    late = await open_screen(headers=headers)
    assert (await late.receive_json_from(timeout=10))["type"] == "snapshot"
    assert len(began) == len(set(began)) and began[-1] > max(began[:-1])
    for screen in [*screens, late]:
        await screen.disconnect()


async def test_other_events_of_the_wallscreen_group_are_not_forwarded(city):
    communicator = await open_screen(city.leader)
    await communicator.receive_json_from(timeout=10)
    await sync_to_async(send_now)(WALLSCREEN_GROUP, "diary.comment", {"worker": 1})
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_the_department_ranking_reaches_the_screens_when_it_changes(city):
    communicator = await open_screen(city.leader)
    await communicator.receive_json_from(timeout=10)
    await sync_to_async(city.case_in)(CaseStatus.CLOSED)
    assert await sync_to_async(refresh)() is True
    message = await communicator.receive_json_from(timeout=5)
    while message["type"] == "case.event":  # the steps of the closed case come first
        message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "ranking"
    top = message["data"]["departments"][0]
    assert (top["key"], top["rank"], top["band"], top["due"]) == ("CGJ", 1, "green", 1)
    assert await sync_to_async(refresh)() is False  # unchanged: nothing is pushed
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_reconnected_screen_resynchronises_from_a_fresh_snapshot(city):
    communicator = await open_screen(city.leader)
    first = await communicator.receive_json_from(timeout=10)
    assert first["data"]["figures"]["received"] == 0
    await communicator.disconnect()

    # While the screen is away: events it never sees.
    await sync_to_async(city.case_in)(CaseStatus.CLOSED)
    await sync_to_async(city.report)()

    communicator = await open_screen(city.leader)
    again = await communicator.receive_json_from(timeout=10)
    assert again["type"] == "snapshot"
    assert again["data"]["figures"] == {"received": 2, "closed": 1, "pending_review": 0, "in_progress": 0, "other": 1}
    assert again["data"]["today"]["closed"] == 1
    await communicator.disconnect()


async def test_a_screen_may_ask_for_a_snapshot_but_not_too_often(city, monkeypatch):
    from dashboard import consumers

    communicator = await open_screen(city.leader)
    await communicator.receive_json_from(timeout=10)
    await communicator.send_json_to({"type": "snapshot.request"})
    refused = await communicator.receive_json_from(timeout=5)
    assert refused == {"v": 1, "type": "error", "data": {"detail": "too many snapshot requests"}}

    monkeypatch.setattr(consumers, "SNAPSHOT_INTERVAL", 0)
    await sync_to_async(city.report)()
    await communicator.receive_json_from(timeout=5)  # the report's event
    await communicator.send_json_to({"type": "snapshot.request"})
    fresh = await communicator.receive_json_from(timeout=10)
    assert fresh["type"] == "snapshot" and fresh["data"]["figures"]["received"] == 1

    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from(timeout=5))["type"] == "error"
    await communicator.send_json_to({"type": "something else"})
    assert (await communicator.receive_json_from(timeout=5))["data"] == {"detail": "unknown request"}
    await communicator.disconnect()
