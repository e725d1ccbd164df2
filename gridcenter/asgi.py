"""ASGI entry point: HTTP through Django, WebSocket through Channels.

In deployment nginx sends only ``/ws/`` here and HTTP to the WSGI workers (see the
README, "Serving"), but the HTTP route stays so the process also works on its own.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridcenter.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from accounts.middleware import MfaWebSocketMiddleware  # noqa: E402
from gridcenter.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # A session that still owes its second factor connects as nobody (accounts.middleware).
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(MfaWebSocketMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
