from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from gridcenter.consumers import RefreshedGroupsMixin
from gridcenter.realtime import SCHEMA_VERSION, user_group

# Close codes in the 4000 range are the application's own (RFC 6455, 7.4.2).
CLOSE_UNAUTHENTICATED = 4401


def no_snapshot(user) -> dict[str, Any]:
    return {}


def no_groups(user) -> list[str]:
    return []


class UserEventsConsumer(RefreshedGroupsMixin, AsyncJsonWebsocketConsumer):
    """A signed-in user's own channel: events addressed to ``user.<id>``, and the case events
    of the groups ``case_groups(user)`` names (given by the routing: the cases the user may see).

    ``hello`` carries a snapshot of what the page shows live (``snapshot(user)``, given by
    the routing, which knows the apps: unread notifications and directives), so a page that
    reconnects after a drop resynchronises from it.
    """

    def __init__(
        self,
        *args,
        snapshot: Callable[[Any], dict[str, Any]] = no_snapshot,
        case_groups: Callable[[Any], list[str]] = no_groups,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.case_groups = case_groups

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        # Join first: an event committed while the snapshot is read still arrives after it.
        groups = await database_sync_to_async(self.case_groups)(user)
        if not await self.join_groups(user_group(user.pk), *groups):
            return
        await self.accept()
        data = {"user": user.get_username(), **await database_sync_to_async(self.snapshot)(user)}
        await self.send_json({"v": SCHEMA_VERSION, "type": "hello", "data": data})

    async def disconnect(self, code):
        await self.leave_groups()

    async def receive_json(self, content, **kwargs):
        # The channel is one-way: the server speaks, pages listen.
        await self.send_json({"v": SCHEMA_VERSION, "type": "error", "data": {"detail": "read-only channel"}})

    async def event_message(self, message):
        await self.send_json(message["event"])
