"""WebSocket routes (under /ws/, which nginx sends to the ASGI process)."""

from django.urls import path

from accounts.consumers import UserEventsConsumer

websocket_urlpatterns = [
    path("ws/user/", UserEventsConsumer.as_asgi()),
]
