"""A WebSocket round trip through the real channels-redis layer."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client

from gridcenter.asgi import application
from gridcenter.realtime import publish, send_now, user_group

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def session_headers(user) -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [ORIGIN, (b"cookie", cookie.encode()), (b"host", b"127.0.0.1:8000")]


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/user/", headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


@pytest.mark.django_db(transaction=True)
async def test_an_event_published_for_a_user_reaches_their_open_page():
    user = await sync_to_async(get_user_model().objects.create)(username="ws-user")
    headers = await sync_to_async(session_headers)(user)
    communicator, connected, _code = await connect(headers)
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    assert hello == {"v": 1, "type": "hello", "data": {"user": "ws-user", "unread": 0, "directives_unread": 0}}

    await sync_to_async(send_now)(user_group(user.pk), "note", {"text": "你好"})
    assert await communicator.receive_json_from(timeout=5) == {"v": 1, "type": "note", "data": {"text": "你好"}}
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_events_are_sent_only_after_the_transaction_commits():
    user = await sync_to_async(get_user_model().objects.create)(username="ws-user2")
    headers = await sync_to_async(session_headers)(user)
    communicator, connected, _code = await connect(headers)
    assert connected
    await communicator.receive_json_from(timeout=5)

    def rolled_back():
        try:
            with transaction.atomic():
                publish([user_group(user.pk)], "note", {"text": "never"})
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    def committed():
        with transaction.atomic():
            publish([user_group(user.pk)], "note", {"text": "after commit"})

    await sync_to_async(rolled_back)()
    await sync_to_async(committed)()
    assert (await communicator.receive_json_from(timeout=5))["data"] == {"text": "after commit"}
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_anonymous_connections_are_closed():
    communicator, connected, code = await connect([ORIGIN, (b"host", b"127.0.0.1:8000")])
    assert not connected
    assert code == 4401


@pytest.mark.django_db(transaction=True)
async def test_a_foreign_origin_is_refused():
    user = await sync_to_async(get_user_model().objects.create)(username="ws-user3")
    headers = [h for h in await sync_to_async(session_headers)(user) if h[0] != b"origin"]
    communicator, connected, _code = await connect([*headers, (b"origin", b"https://evil.example")])
    assert not connected


@pytest.mark.django_db(transaction=True)
async def test_another_users_events_do_not_arrive():
    alice = await sync_to_async(get_user_model().objects.create)(username="alice")
    bob = await sync_to_async(get_user_model().objects.create)(username="bob")
    communicator, connected, _code = await connect(await sync_to_async(session_headers)(alice))
    assert connected
    await communicator.receive_json_from(timeout=5)
    await sync_to_async(send_now)(user_group(bob.pk), "note", {"text": "for bob"})
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


def test_a_redis_outage_is_logged_not_raised(settings, caplog):
    # The state change is already committed: a lost push must not turn into an error.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "gridcenter.channel_layer.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    send_now(["wallscreen", "user.1"], "note", {"text": "lost"})
    assert "could not publish note" in caplog.text


@pytest.mark.django_db(transaction=True)
async def test_one_event_reaches_several_groups_at_once():
    alice = await sync_to_async(get_user_model().objects.create)(username="alice2")
    bob = await sync_to_async(get_user_model().objects.create)(username="bob2")
    pages = []
    for user in (alice, bob):
        communicator, connected, _code = await connect(await sync_to_async(session_headers)(user))
        assert connected
        await communicator.receive_json_from(timeout=5)
        pages.append(communicator)
    await sync_to_async(send_now)([user_group(alice.pk), user_group(bob.pk)], "note", {"text": "both"})
    for communicator in pages:
        assert (await communicator.receive_json_from(timeout=5))["data"] == {"text": "both"}
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_long_lived_page_stays_in_its_group_past_the_group_expiry(settings):
    # A wall screen stays connected for days; channels-redis forgets members after
    # group_expiry unless the connection renews its membership.
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "gridcenter.channel_layer.RedisChannelLayer",
            "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": "gridcenter:ws-expiry", "group_expiry": 2},
        }
    }
    channel_layers.backends.clear()
    try:
        user = await sync_to_async(get_user_model().objects.create)(username="long-lived")
        communicator, connected, _code = await connect(await sync_to_async(session_headers)(user))
        assert connected
        await communicator.receive_json_from(timeout=5)
        await asyncio.sleep(3)  # past the expiry; the page renewed its membership meanwhile
        await sync_to_async(send_now)(user_group(user.pk), "note", {"text": "still here"})
        assert (await communicator.receive_json_from(timeout=5))["data"] == {"text": "still here"}
        await communicator.disconnect()
    finally:
        channel_layers.backends.clear()
