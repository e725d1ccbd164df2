"""Publishing live events to WebSocket audiences, only after the transaction commits.

Audiences are Channels groups named for who should hear an event: ``user.<id>``,
``wallscreen``, ``centre`` (the command centre's people), ``dept.<id>``, ``grid.<id>``.
Consumers join the groups their user belongs to; nothing is sent to one global group that
every consumer filters.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
# How long a request waits for its push before giving up (Redis down or slow).
SEND_TIMEOUT_SECONDS = 2.0


WALLSCREEN_GROUP = "wallscreen"
# The dispatchers, leaders and administrators on their pages (the console): they see every case.
CENTRE_GROUP = "centre"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def department_group(department_id: int) -> str:
    return f"dept.{department_id}"


def grid_group(grid_id: int) -> str:
    return f"grid.{grid_id}"


class _SenderLoop:
    """One event loop per process, in a daemon thread, that sends every push.

    ``async_to_sync`` would start a loop and open Redis connections for each send
    (about 8 ms a group; channels-redis keeps a pool per event loop); a loop kept for the
    life of the process keeps one pool warm and sends to all groups of an event at once.
    Made lazily and again after a fork, so each gunicorn worker has its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid: int | None = None

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="realtime-sender", daemon=True).start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop


_sender = _SenderLoop()


async def _send_all(groups: list[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    send_many = getattr(layer, "group_send_many", None)
    if send_many is not None:
        # One pipeline and one script for all the groups (a directive to 2,018 workers), not
        # 2,018 commands in flight at once, each wanting a connection of the pool.
        await send_many(groups, message)
        return
    for group in groups:
        await layer.group_send(group, message)


def send_now(groups: str | list[str], event_type: str, payload: dict[str, Any]) -> None:
    """Push one event to one or more groups; a Redis outage is logged, never raised.

    The state change is already committed in PostgreSQL; pages resynchronise from a
    fresh snapshot when they reconnect, so a lost push costs freshness, not data.
    """
    groups = [groups] if isinstance(groups, str) else list(groups)
    message = {"type": "event.message", "event": {"v": SCHEMA_VERSION, "type": event_type, "data": payload}}
    future = asyncio.run_coroutine_threadsafe(_send_all(groups, message), _sender.loop())
    try:
        future.result(timeout=SEND_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - the push is best-effort by design
        future.cancel()
        shown = groups if len(groups) <= 5 else [*groups[:5], f"… {len(groups)} groups"]
        logger.warning("could not publish %s to %s: %r", event_type, shown, exc)


_muted: ContextVar[bool] = ContextVar("gridcenter_realtime_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Publish nothing inside this block: for bulk loads that nobody watches live (the demo
    history: thousands of past events would each cost a Redis round trip per group)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    """Whether ``publish`` sends nothing now (inside ``muted()``): callers may skip building events."""
    return _muted.get()


def publish(groups: list[str], event_type: str, payload: dict[str, Any]) -> None:
    """Queue an event for each group, sent once the current transaction commits."""
    if _muted.get():
        return

    transaction.on_commit(lambda: send_now(groups, event_type, payload))


# Per sender loop, group and event type: the items waiting for the next batch, by key.
_batches: dict[tuple[int, str, str], dict[Any, dict[str, Any]]] = {}
# The sends under way (the loop keeps only weak references to its tasks).
_sending: set[asyncio.Task] = set()


async def _send_batch(batch: tuple[int, str, str]) -> None:
    items = list(_batches.pop(batch, {}).values())
    message = {"type": "event.message", "event": {"v": SCHEMA_VERSION, "type": batch[2], "data": {"items": items}}}
    try:
        await asyncio.wait_for(_send_all([batch[1]], message), SEND_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - best-effort, as send_now; the next batch is newer
        logger.warning("could not publish %s (%d items) to %s: %r", batch[2], len(items), batch[1], exc)


def _start_send(batch: tuple[int, str, str]) -> None:
    task = asyncio.get_running_loop().create_task(_send_batch(batch))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


def _add_to_batch(group: str, event_type: str, key: Any, item: dict[str, Any], every: float) -> None:
    """In the sender loop: keep ``item`` as ``key``'s newest; the first item of a batch starts its timer."""
    loop = asyncio.get_running_loop()
    batch = (id(loop), group, event_type)
    if batch not in _batches:
        _batches[batch] = {}
        loop.call_later(every, _start_send, batch)
    _batches[batch][key] = item


def publish_batched(group: str, event_type: str, key: Any, item: dict[str, Any], *, every: float) -> None:
    """After commit, add ``item`` to the next ``event_type`` batch to ``group``, replacing an
    older item of the same ``key``; the batch goes as one event ``{"items": [...]}`` ``every``
    seconds after its first item. For frequent news where only the latest counts (positions):
    each process sends at most one such event per ``every`` seconds, however many items."""
    if _muted.get():
        return

    def queue() -> None:
        _sender.loop().call_soon_threadsafe(_add_to_batch, group, event_type, key, item, every)

    transaction.on_commit(queue)
