"""The Content-Security-Policy (django-csp): what a page may load, run and connect to.

Scripts and styles only from the site's own files: no inline ``<script>``, no ``on…=``
handler, no ``style=`` attribute or ``<style>`` block in any template (a test scans them),
no ``eval``. Data reaches scripts through ``json_script`` (a ``type="application/json"``
block, which never runs) and ``data-`` attributes. Scripts may still set styles through the
DOM (``element.style``, as Leaflet and ECharts do): the policy governs markup, not CSSOM.

Images may also come from the map's tile server (``MAP_TILE_URL``); the live sockets connect
to the page's own host (``ws:``/``wss:``, added per request by the middleware below, since
older browsers do not count a WebSocket to the same host as ``'self'``). Browsers report
violations to ``/csp-report/`` (gridcenter.views.csp_report), which logs them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONE, REPORT_SAMPLE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost, ImproperlyConfigured

REPORT_PATH = "/csp-report/"


def tile_source(tile_url: str) -> str | None:
    """The CSP source of the map's tile server: its scheme and host (a ``{s}`` subdomain as a
    wildcard: ``https://{s}.tile.example`` → ``https://*.tile.example``); None for tiles on
    the site itself (a path without a host)."""
    parts = urlsplit(tile_url)
    if not parts.netloc:
        return None
    labels = parts.netloc.split(".")
    if any("{" in label for label in labels[1:]) or parts.scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            "MAP_TILE_URL must be http(s) and may have a {placeholder} only in the host's first label."
        )
    if "{" in labels[0]:
        labels[0] = "*"
    return f"{parts.scheme}://{'.'.join(labels)}"


def content_security_policy(tile_url: str) -> dict[str, Any]:
    """django-csp's setting: the policy's directives."""
    tiles = tile_source(tile_url)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF, REPORT_SAMPLE],
            "style-src": [SELF, REPORT_SAMPLE],
            "img-src": [SELF, "data:", "blob:", *([tiles] if tiles else [])],
            "connect-src": [SELF],
            "font-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "report-uri": REPORT_PATH,
        }
    }


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the page's own WebSocket origin in ``connect-src``."""

    def get_policy_parts(self, request: Any, response: Any, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        socket = f"{'wss' if request.is_secure() else 'ws'}://{host}"
        update = dict(parts.update or {})
        sources = update.get("connect-src") or []
        update["connect-src"] = [*([sources] if isinstance(sources, str) else sources), socket]
        parts.update = update
        return parts
