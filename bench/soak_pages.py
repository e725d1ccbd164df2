"""The soak benchmark's pages: one process holding every socket, as open browsers would.

Sockets ``0 … screens-1`` are wall screens (``/ws/dashboard/``), the rest user channels
(``/ws/user/``), one per grid worker. Each records when it first received each event it was
sent; a socket the server closes, or whose connection ends, before the benchmark stops is an
unintended close (the benchmark does not reconnect it, so what it misses counts as lost).
"""

from __future__ import annotations

import asyncio
import json
import time

from bench.websocket import open_websocket, websocket_messages

# Sockets opened at once while the pages come up (a wall of browsers is not opened in one instant).
OPENING_BATCH = 25
REFUSED = 0  # the close "code" of a socket whose handshake failed


def event_key(message: dict) -> str | None:
    """What identifies an event the benchmark sent: a case by its tracking number, a directive by id."""
    kind, data = message.get("type", ""), message.get("data") or {}
    if kind == "case.event":
        return f"case:{data['event']['tracking_no']}"
    if kind.startswith("case."):
        return f"case:{data['tracking_no']}"
    if kind == "directive.new":
        return f"directive:{data['id']}"
    return None


def run_pages(port: int, screen_cookie: str, screens: int, user_cookies: list[str], ready, stop, results) -> None:
    """Entry point of the pages' process: puts {"received", "closes", "opened"} on ``results``."""
    results.put(asyncio.run(_pages(port, screen_cookie, screens, user_cookies, ready, stop)))


async def _pages(port: int, screen_cookie: str, screens: int, user_cookies: list[str], ready, stop) -> dict:
    targets = [("/ws/dashboard/", screen_cookie)] * screens + [("/ws/user/", cookie) for cookie in user_cookies]
    received: list[dict[str, float]] = [{} for _ in targets]
    closes: list[tuple[int, int | None, float]] = []
    opened = 0

    async def hold(index: int, path: str, cookie: str) -> None:
        nonlocal opened
        closed: dict = {}
        try:
            reader, writer = await open_websocket(port, path, cookie)
        except (OSError, RuntimeError, asyncio.IncompleteReadError):
            closes.append((index, REFUSED, time.time()))
            return
        async for _at, text in websocket_messages(reader, writer, closed):
            at = time.time()
            message = json.loads(text)
            if message.get("type") in ("snapshot", "hello"):
                opened += 1
                if opened == len(targets):
                    ready.set()
                continue
            key = event_key(message)
            if key is not None:
                received[index].setdefault(key, at)
        if not stop.is_set():
            closes.append((index, closed.get("code"), time.time()))

    tasks = []
    for start in range(0, len(targets), OPENING_BATCH):
        batch = range(start, min(start + OPENING_BATCH, len(targets)))
        tasks += [asyncio.create_task(hold(i, *targets[i])) for i in batch]
        await asyncio.sleep(0.5)
    while not stop.is_set():
        await asyncio.sleep(0.2)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"received": received, "closes": closes, "opened": opened}
