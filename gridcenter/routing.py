"""WebSocket routes (under /ws/, which nginx sends to the ASGI process)."""

from typing import Any

from django.urls import path

from accounts.consumers import UserEventsConsumer
from dashboard.consumers import WallScreenConsumer
from incidents.services.events import listening_groups
from notifications.services import unread_count
from patrols import selectors as patrols


def user_snapshot(user) -> dict[str, Any]:
    """What ``/ws/user/``'s ``hello`` tells a page that (re)connects: its unread counts."""
    return {"unread": unread_count(user), "directives_unread": patrols.unread_count(user)}


websocket_urlpatterns = [
    path("ws/user/", UserEventsConsumer.as_asgi(snapshot=user_snapshot, case_groups=listening_groups)),
    path("ws/dashboard/", WallScreenConsumer.as_asgi()),
]
