"""Publishing live events to WebSocket audiences, only after the transaction commits.

Audiences are Channels groups named for who should hear an event: ``user.<id>``,
``wallscreen``, ``dept.<id>``, ``grid.<id>``. Consumers join the groups their user
belongs to; nothing is sent to one global group that every consumer filters.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_now(group: str, event_type: str, payload: dict[str, Any]) -> None:
    """Push one event to a group; a Redis outage is logged, never raised.

    The state change is already committed in PostgreSQL; pages resynchronise from a
    fresh snapshot when they reconnect, so a lost push costs freshness, not data.
    """
    message = {"type": "event.message", "event": {"v": SCHEMA_VERSION, "type": event_type, "data": payload}}
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # noqa: BLE001 - the push is best-effort by design
        logger.exception("could not publish %s to %s", event_type, group)


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

    def send() -> None:
        for group in groups:
            send_now(group, event_type, payload)

    transaction.on_commit(send)
