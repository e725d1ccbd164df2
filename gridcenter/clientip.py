"""The client's address behind the configured number of reverse proxies (``PROXY_COUNT``).

Each trusted proxy appends the address it received the request from to
``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so with N proxies in front
the client is the N-th address from the right: everything left of it was written by the
client and may be forged. With no proxy, or no header (a direct call), the client is
``REMOTE_ADDR``. DRF's throttles follow the same rule (``NUM_PROXIES`` is set from the
same setting); django-axes calls ``client_ip`` (``AXES_CLIENT_IP_CALLABLE``), so login
failures are counted per real client, never per proxy.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    """The client's IP address (the nearest peer's when the header's one is not an address)."""
    meta = request.META
    peer = _valid(meta.get("REMOTE_ADDR"))
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    count = settings.PROXY_COUNT
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return _valid(hops[-min(count, len(hops))]) or peer
    return peer


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
