"""What every WebSocket consumer of the platform shares: staying in its groups, and telling its
page to resynchronise when the channel layer may have lost its events.

* Renewal. channels-redis forgets a group member after ``group_expiry`` (30 minutes), which is
  what clears the entries a killed server process leaves behind; a wall screen stays connected
  for days, so each live connection re-adds itself well before it would expire.
* Loss. Events may have been missed, or the groups forgotten, when this process's receive from
  Redis fails (Redis down, the connection cut), when a renewal fails, or when Redis's run id
  changes (it restarted: unless it persists its data, every group is gone), which one watcher
  per process reads every ``WATCH_SECONDS``. Then every socket of the process is closed with
  ``CLOSE_RESYNC``; the pages reconnect with back-off, join again, redraw from a fresh snapshot
  and say so. While Redis is down, a new connection that cannot join is accepted and closed
  with the same code, so its page keeps trying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Close codes in the 4000 range are the application's own (RFC 6455, 7.4.2); 4503 as in HTTP 503.
CLOSE_RESYNC = 4503
WATCH_SECONDS = 2.0
# What a lost or unreachable Redis raises (asyncio's TimeoutError is an OSError).
LAYER_ERRORS = (RedisError, OSError)
LOST = {"type": "layer.lost"}


def group_refresh_seconds() -> float:
    """How often a connection renews its groups: well inside the layer's ``group_expiry``."""
    expiry = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("group_expiry", 86400)
    return max(expiry / 3, 0.1)


class _Watch:
    """The live sockets of one process (one event loop and layer), and the run ids of the Redis
    they joined their groups on."""

    def __init__(self, layer: Any, key: tuple[int, asyncio.AbstractEventLoop]) -> None:
        self.layer, self.key = layer, key
        self.members: set[RefreshedGroupsMixin] = set()
        self.ids: tuple[str, ...] | None = None
        self.task: asyncio.Future | None = None

    def add(self, consumer: RefreshedGroupsMixin) -> None:
        self.members.add(consumer)
        if self.task is None:
            self.task = asyncio.ensure_future(self._run())

    async def lose_all(self, reason: str) -> None:
        members, self.members, self.ids = list(self.members), set(), None
        if members:
            logger.warning("live channel: %s; closing %d sockets for a resync", reason, len(members))
        for consumer in members:
            await consumer.lose_layer()

    async def _run(self) -> None:
        try:
            while self.members:
                try:
                    ids = await self.layer.server_ids()
                except LAYER_ERRORS as exc:
                    await self.lose_all(f"Redis unreachable ({exc!r})")
                else:
                    if self.ids is not None and ids != self.ids:
                        await self.lose_all("Redis restarted (its run id changed)")
                    self.ids = ids
                await asyncio.sleep(WATCH_SECONDS)
        finally:
            _watches.pop(self.key, None)


_watches: dict[tuple[int, asyncio.AbstractEventLoop], _Watch] = {}


def _watch(layer: Any) -> _Watch | None:
    """This process's watcher of ``layer`` (None for a layer that cannot tell a restart)."""
    if not hasattr(layer, "server_ids"):
        return None
    key = (id(layer), asyncio.get_running_loop())
    if key not in _watches:
        _watches[key] = _Watch(layer, key)
    return _watches[key]


class RefreshedGroupsMixin:
    """Joins groups, keeps a long-lived connection in them, and closes it with ``CLOSE_RESYNC``
    when its events may have been lost (see the module docstring)."""

    # Set by the channels consumer this is mixed into.
    channel_layer: Any
    channel_name: str
    accept: Callable[..., Awaitable[None]]
    close: Callable[..., Awaitable[None]]
    _lost = False
    _refresher: asyncio.Future | None = None

    # channels' consumer sets ``channel_receive`` to the layer's receive and waits on it: a
    # failed receive is turned into a ``layer.lost`` message instead of killing the consumer
    # (which daphne reported to the page as a bare 1011).
    @property
    def channel_receive(self) -> Callable[[], Awaitable[dict]]:
        return self._receive_or_lose

    @channel_receive.setter
    def channel_receive(self, receive: Callable[[], Awaitable[dict]]) -> None:
        self._layer_receive = receive

    async def _receive_or_lose(self) -> dict:
        if not self._lost:
            try:
                return await self._layer_receive()
            except LAYER_ERRORS as exc:
                logger.warning("live channel: receiving from Redis failed (%r)", exc)
                return LOST
        await asyncio.get_running_loop().create_future()  # nothing more: the socket is closing
        return LOST

    async def layer_lost(self, message: dict) -> None:
        watch = _watch(self.channel_layer)
        if watch is not None:
            await watch.lose_all("this process's receive from Redis failed")
        await self.lose_layer()

    async def lose_layer(self) -> None:
        """Close with ``CLOSE_RESYNC``: the page reconnects, joins again and redraws from a snapshot."""
        if self._lost:
            return
        self._lost = True
        if self._refresher is not None and self._refresher is not asyncio.current_task():
            self._refresher.cancel()
        await self.close(code=CLOSE_RESYNC)

    async def join_groups(self, *groups: str) -> bool:
        """Join ``groups`` and stay in them. False if Redis cannot be reached: the socket is then
        accepted and closed with ``CLOSE_RESYNC``, and its page tries again later."""
        self.joined_groups = list(groups)
        try:
            await self._add_all()
        except LAYER_ERRORS as exc:
            logger.warning("live channel: could not join %s (%r)", ", ".join(groups), exc)
            self._lost = True
            await self.accept()
            await self.close(code=CLOSE_RESYNC)
            return False
        self._refresher = asyncio.ensure_future(self._keep_joined())
        watch = _watch(self.channel_layer)
        if watch is not None:
            watch.add(self)
        return True

    async def leave_groups(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        watch = _watches.get((id(self.channel_layer), asyncio.get_running_loop()))
        if watch is not None:
            watch.members.discard(self)
        for group in getattr(self, "joined_groups", []):
            # With Redis gone the member cannot be removed; it expires after group_expiry.
            with contextlib.suppress(*LAYER_ERRORS):
                await self.channel_layer.group_discard(group, self.channel_name)
        self.joined_groups = []

    async def _add_all(self) -> None:
        for group in self.joined_groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def _keep_joined(self) -> None:
        while True:
            await asyncio.sleep(group_refresh_seconds())
            try:
                await self._add_all()
            except LAYER_ERRORS as exc:
                logger.warning("live channel: could not renew %s (%r)", ", ".join(self.joined_groups), exc)
                await self.lose_layer()
                return
