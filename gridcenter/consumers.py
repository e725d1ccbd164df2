"""What every WebSocket consumer of the platform shares: staying in its groups."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from django.conf import settings


def group_refresh_seconds() -> float:
    """How often a connection renews its groups: well inside the layer's ``group_expiry``."""
    expiry = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("group_expiry", 86400)
    return max(expiry / 3, 0.1)


class RefreshedGroupsMixin:
    """Joins groups and keeps a long-lived connection in them.

    channels-redis forgets a group member after ``group_expiry``, which is what clears
    the entries a killed server process leaves behind; a wall screen stays connected for
    days, so each live connection renews its membership well before it would expire.
    """

    # Set by the channels consumer this is mixed into.
    channel_layer: Any
    channel_name: str

    async def join_groups(self, *groups: str) -> None:
        self.joined_groups = list(groups)
        await self._add_all()
        self._refresher = asyncio.ensure_future(self._keep_joined())

    async def leave_groups(self) -> None:
        refresher = getattr(self, "_refresher", None)
        if refresher is not None:
            refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresher
        for group in getattr(self, "joined_groups", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        self.joined_groups = []

    async def _add_all(self) -> None:
        for group in self.joined_groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def _keep_joined(self) -> None:
        while True:
            await asyncio.sleep(group_refresh_seconds())
            await self._add_all()
