"""WebSocket routes (under /ws/, which nginx sends to the ASGI process)."""

from django.urls import path

from accounts.consumers import UserEventsConsumer
from dashboard.consumers import WallScreenConsumer

websocket_urlpatterns = [
    path("ws/user/", UserEventsConsumer.as_asgi()),
    path("ws/dashboard/", WallScreenConsumer.as_asgi()),
]
