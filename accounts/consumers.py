from channels.generic.websocket import AsyncJsonWebsocketConsumer

from gridcenter.consumers import RefreshedGroupsMixin
from gridcenter.realtime import SCHEMA_VERSION, user_group

# Close codes in the 4000 range are the application's own (RFC 6455, 7.4.2).
CLOSE_UNAUTHENTICATED = 4401


class UserEventsConsumer(RefreshedGroupsMixin, AsyncJsonWebsocketConsumer):
    """A signed-in user's own channel: events addressed to ``user.<id>``."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.join_groups(user_group(user.pk))
        await self.accept()
        await self.send_json({"v": SCHEMA_VERSION, "type": "hello", "data": {"user": user.get_username()}})

    async def disconnect(self, code):
        await self.leave_groups()

    async def receive_json(self, content, **kwargs):
        # The channel is one-way: the server speaks, pages listen.
        await self.send_json({"v": SCHEMA_VERSION, "type": "error", "data": {"detail": "read-only channel"}})

    async def event_message(self, message):
        await self.send_json(message["event"])
