"""Listening to the real channel layer in tests: what the domain layer published."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import contextmanager

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


@contextmanager
def listening(*groups: str):
    """Subscribe a fresh channel to ``groups``; yields ``drain()`` → the events received so far."""
    layer = get_channel_layer()
    channel = f"test-{uuid.uuid4().hex}"
    for group in groups:
        async_to_sync(layer.group_add)(group, channel)

    def drain(timeout: float = 0.5) -> list[dict]:
        async def receive_all() -> list[dict]:
            events: list[dict] = []
            while True:
                try:
                    message = await asyncio.wait_for(layer.receive(channel), timeout)
                except TimeoutError:
                    return events
                events.append(message["event"])

        return async_to_sync(receive_all)()

    try:
        yield drain
    finally:
        for group in groups:
            async_to_sync(layer.group_discard)(group, channel)
