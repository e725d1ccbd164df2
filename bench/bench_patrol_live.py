"""The wall screen's patrol positions under the full city: what reaches one screen.

2,018 grid workers on patrol, each with a new fix every 10 s (their phases spread over the
10 s), for ``BENCH_PATROL_LIVE_SECONDS`` (default 30). Each fix goes through
``patrols.services.live``'s path (``publish_batched`` to the ``wallscreen`` group, as a stored
batch does), in one process (one web worker), on the real channel layer (channels-redis on
``REDIS_URL``); a channel in the group stands for a screen and counts what it gets: messages
a second, fixes a message, bytes a second, and how old a fix is when the screen has it. The
baseline without throttling would be one message per fix (or per batch).
"""

from __future__ import annotations

import json
import os
import statistics
import threading
import time
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings

from gridcenter.realtime import WALLSCREEN_GROUP, publish_batched
from patrols.services.live import POSITIONS

WORKERS = 2018
FIX_EVERY = 10.0
SECONDS = float(os.environ.get("BENCH_PATROL_LIVE_SECONDS", "30"))


def screen(channel: str, stop: threading.Event, received: list[tuple[float, dict]]) -> None:
    layer = get_channel_layer()

    async def listen() -> None:
        import asyncio

        while not stop.is_set():
            try:
                message = await asyncio.wait_for(layer.receive(channel), 1.0)
            except TimeoutError:
                continue
            received.append((time.time(), message["event"]))

    async_to_sync(listen)()


def main() -> None:
    layer = get_channel_layer()
    channel = f"bench-screen-{uuid.uuid4().hex}"
    async_to_sync(layer.group_add)(WALLSCREEN_GROUP, channel)
    stop = threading.Event()
    received: list[tuple[float, dict]] = []
    listener = threading.Thread(target=screen, args=(channel, stop, received), daemon=True)
    listener.start()
    every = settings.PATROL_LIVE_SECONDS
    started = time.time()
    sent = 0
    # Worker i's fixes come at started + phase_i + k * FIX_EVERY.
    schedule = sorted(
        (i * FIX_EVERY / WORKERS + k * FIX_EVERY, i) for k in range(int(SECONDS / FIX_EVERY)) for i in range(WORKERS)
    )
    for offset, worker in schedule:
        delay = started + offset - time.time()
        if delay > 0:
            time.sleep(delay)
        item = {
            "patrol": worker,
            "worker": worker,
            "name": f"网格员{worker:04d}",
            "lat": 28.3,
            "lng": 109.7,
            "at": time.time(),
        }
        publish_batched(WALLSCREEN_GROUP, POSITIONS, worker, item, every=every)
        sent += 1
    time.sleep(every + 1)
    stop.set()
    listener.join(timeout=5)
    async_to_sync(layer.group_discard)(WALLSCREEN_GROUP, channel)
    elapsed = time.time() - started
    batches = [event for _at, event in received if event["type"] == POSITIONS]
    fixes = sum(len(event["data"]["items"]) for event in batches)
    size = sum(len(json.dumps(event, ensure_ascii=False).encode()) for event in batches)
    ages = sorted(at - item["at"] for at, event in received for item in event["data"]["items"])
    print(f"  {WORKERS} workers, a fix every {FIX_EVERY:.0f} s each, {SECONDS:.0f} s, PATROL_LIVE_SECONDS={every}")
    print(f"  fixes published: {sent} ({sent / SECONDS:.0f}/s: unthrottled, one message per fix to every screen)")
    print(f"  one screen got: {len(batches)} messages ({len(batches) / elapsed:.2f}/s), {fixes} fixes")
    print(f"  ({fixes / max(len(batches), 1):.0f} a message), {size / elapsed / 1024:.1f} KiB/s")
    if ages:
        p95 = ages[int(len(ages) * 0.95)]
        print(
            f"  age of a fix on arrival: median {statistics.median(ages):.2f} s, p95 {p95:.2f} s, max {ages[-1]:.2f} s"
        )
