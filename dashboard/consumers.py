"""The wall screen's live feed: ``/ws/dashboard/`` (README, "Wall screen messages").

Wall-screen roles only (leader, dispatcher, administrator): an anonymous connection is
accepted and closed at once with 4401, any other user with 4403, so the page can tell
"sign in again" from "not for you" (a refused handshake reaches a browser as a bare
1006). The origin is checked before this consumer runs (gridcenter/asgi.py). The
consumer joins only the ``wallscreen`` group, sends a snapshot, then one ``case.event``
message per case event with the updated figures, and the patrols' news.
"""

from __future__ import annotations

import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from dashboard import live
from dashboard.ranking import EVENT_TYPE as RANKING_EVENT
from dashboard.snapshot import may_watch
from gridcenter.consumers import RefreshedGroupsMixin
from gridcenter.realtime import SCHEMA_VERSION, WALLSCREEN_GROUP
from patrols.services.live import POSITIONS, STARTED, STOPPED

logger = logging.getLogger(__name__)

# Close codes in the 4000 range are the application's own (RFC 6455, 7.4.2).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
SNAPSHOT_REQUEST = "snapshot.request"
# A screen may ask for a fresh snapshot at most this often (seconds).
SNAPSHOT_INTERVAL = 5.0
PATROL_EVENTS = {STARTED, STOPPED, POSITIONS}


class WallScreenConsumer(RefreshedGroupsMixin, AsyncJsonWebsocketConsumer):
    group = WALLSCREEN_GROUP

    async def connect(self) -> None:
        self.last_snapshot = float("-inf")
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        if not await database_sync_to_async(may_watch)(user):
            await self.refuse(CLOSE_FORBIDDEN)
            return
        self.user = user
        # Join first: an event committed while the snapshot is read still arrives after it.
        if not await self.join_groups(self.group):
            return
        await self.accept()
        await self.send_snapshot()

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        await self.leave_groups()

    async def send_snapshot(self) -> None:
        self.last_snapshot = time.monotonic()
        await self.send(text_data=await live.shared_snapshot(self.user, self.last_snapshot))

    async def receive_json(self, content, **kwargs) -> None:
        if not isinstance(content, dict) or content.get("type") != SNAPSHOT_REQUEST:
            await self.send(text_data=live.encode(live.ERROR, {"detail": "unknown request"}))
            return
        if time.monotonic() - self.last_snapshot < SNAPSHOT_INTERVAL:
            await self.send(text_data=live.encode(live.ERROR, {"detail": "too many snapshot requests"}))
            return
        await self.send_snapshot()

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        try:
            content = await self.decode_json(text_data) if text_data else None
        except ValueError:
            content = None
        await self.receive_json(content)

    async def event_message(self, message) -> None:
        """A realtime event (gridcenter.realtime): case events become wall-screen updates; the
        department ranking and the patrols' news (start, stop, batched positions) are forwarded
        as they are."""
        event = message.get("event") or {}
        if event.get("type") == RANKING_EVENT:
            await self.send_json({"v": SCHEMA_VERSION, "type": "ranking", "data": event.get("data")})
            return
        if event.get("type") in PATROL_EVENTS:
            await self.send_json({"v": SCHEMA_VERSION, "type": event["type"], "data": event.get("data")})
            return
        if not str(event.get("type", "")).startswith("case."):
            return
        try:
            text = await live.shared_update(event)
        except Exception:  # noqa: BLE001 - one lost update; the next one or a resync corrects it
            logger.exception("could not build the wall-screen update of %s", event.get("type"))
            return
        await self.send(text_data=text)
