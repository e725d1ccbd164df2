"""The live channel holds for days: sockets on a real daphne stay open while idle, and after a
Redis restart they are told to resync (4503), reconnect and receive again.

The restart test runs its own ``redis-server`` on a free port (tests/servers.py), never the
shared one: other test runs use that.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from django.conf import settings
from django.db import connection
from django.test import Client

from dashboard.ranking import EVENT_TYPE as RANKING_EVENT
from gridcenter.consumers import CLOSE_RESYNC
from gridcenter.realtime import WALLSCREEN_GROUP, send_now, user_group
from tests.servers import Daphne, RedisServer, child_environment
from tests.websocket import Closed, Socket

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Longer than every timeout on the way: BZPOPMIN's 5 s block, redis-py's read timeout (5 s by
# default, 15 s in our layer), daphne's ping interval (20 s) and ping timeout (30 s), the
# watcher's 2 s, and two minutes for whatever else (the issue saw a close every ~10 s).
IDLE_SECONDS = 130


def cookie(user) -> str:
    try:
        client = Client()
        client.force_login(user)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    finally:
        connection.close()  # this runs in a worker thread: the test database must be droppable


async def open_pages(port: int, leader, worker) -> tuple[Socket, Socket]:
    """A wall screen (leader) and a phone's channel (grid worker), each past its first message."""
    screen = await Socket.open(port, "/ws/dashboard/", await sync_to_async(cookie)(leader))
    assert (await screen.receive(30))["type"] == "snapshot"
    phone = await Socket.open(port, "/ws/user/", await sync_to_async(cookie)(worker))
    assert (await phone.receive(30))["type"] == "hello"
    return screen, phone


async def publish_and_receive(screen: Socket, phone: Socket, worker, text: str) -> None:
    ranking = {"period": text, "departments": []}
    await asyncio.to_thread(send_now, WALLSCREEN_GROUP, RANKING_EVENT, ranking)
    await asyncio.to_thread(send_now, user_group(worker.pk), "note", {"text": text})
    assert (await screen.receive_type("ranking"))["data"] == ranking
    assert (await phone.receive_type("note"))["data"] == {"text": text}


def assert_clean_log(server: Daphne) -> None:
    log = server.log_tail(1_000_000)
    assert "Traceback" not in log, log[-3000:]
    assert "Timeout reading" not in log, log[-3000:]


async def test_idle_sockets_stay_open_for_minutes_and_still_receive(leader, grid_worker):
    server = Daphne()
    await asyncio.to_thread(server.start)
    try:
        screen, phone = await open_pages(server.port, leader, grid_worker)
        await asyncio.sleep(IDLE_SECONDS)
        assert (screen.close_code, phone.close_code) == (None, None)
        assert screen.pings >= 5 and phone.pings >= 5  # daphne kept pinging: we were connected all along
        await publish_and_receive(screen, phone, grid_worker, "still here")
        await screen.close()
        await phone.close()
        await asyncio.to_thread(server.stop)
        assert_clean_log(server)
    finally:
        await asyncio.to_thread(server.close)


async def reconnect(port: int, leader, worker, timeout: float = 30) -> tuple[Socket, Socket]:
    """What the pages do after a drop: try again (with a pause) until a snapshot arrives."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            return await open_pages(port, leader, worker)
        except (Closed, ConnectionError):
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.5)


async def assert_told_to_resync(*sockets: Socket) -> None:
    for socket in sockets:
        assert await socket.closed(timeout=20) == CLOSE_RESYNC


@pytest.fixture
def private_redis(settings):
    """A Redis of this test's own; this process's channel layer publishes to it."""
    server = RedisServer()
    server.start()
    settings.CHANNEL_LAYERS = {
        "default": {**settings.CHANNEL_LAYERS["default"], "CONFIG": {"hosts": [server.url], "prefix": "gridcenter:ws"}}
    }
    channel_layers.backends.clear()
    try:
        yield server
    finally:
        channel_layers.backends.clear()
        server.close()


async def test_after_a_redis_restart_sockets_resync_and_receive_again(private_redis, leader, grid_worker):
    server = Daphne(env={**await sync_to_async(child_environment)(), "REDIS_URL": private_redis.url})
    await asyncio.to_thread(server.start)
    try:
        screen, phone = await open_pages(server.port, leader, grid_worker)
        await publish_and_receive(screen, phone, grid_worker, "before")

        # A quick restart: Redis is back before anything failed for long, but it forgot every group.
        await asyncio.to_thread(private_redis.stop)
        await asyncio.to_thread(private_redis.start)
        await assert_told_to_resync(screen, phone)
        screen, phone = await reconnect(server.port, leader, grid_worker)
        await publish_and_receive(screen, phone, grid_worker, "after a restart")

        # An outage: the sockets are told at once; a page that tries meanwhile is told to come back.
        await asyncio.to_thread(private_redis.stop)
        await assert_told_to_resync(screen, phone)
        early = await Socket.open(server.port, "/ws/user/", await sync_to_async(cookie)(grid_worker))
        assert await early.closed(timeout=20) == CLOSE_RESYNC
        await asyncio.to_thread(private_redis.start)
        screen, phone = await reconnect(server.port, leader, grid_worker)
        await publish_and_receive(screen, phone, grid_worker, "after an outage")
        await screen.close()
        await phone.close()
        await asyncio.to_thread(server.stop)
        assert "Traceback" not in server.log_tail(1_000_000), server.log_tail()
    finally:
        await asyncio.to_thread(server.close)
