"""The phone UI as an installable web app: its service worker and its manifest.

The service worker is served from /m/sw.js, so its scope is /m/ (the header
``Service-Worker-Allowed`` says so explicitly). Its version is a hash of the files it
precaches, so a new deployment replaces it and its caches.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# What the phone keeps for offline use: the scripts and styles of the pages below, and
# Leaflet as {% leaflet_js %} / {% leaflet_css %} include it.
PRECACHE_STATIC = (
    "css/app.css",
    "patrols/m.css",
    "patrols/m.js",
    "patrols/m-outbox.js",
    "patrols/m-recorder.js",
    "patrols/m-forms.js",
    "patrols/m-live.js",
    "patrols/m-start.js",
    "patrols/m-home.js",
    "patrols/report.js",
    "patrols/patrol.js",
    "gridcenter/colours.js",
    "gridcenter/leaflet-map.js",
    "patrols/icon-192.png",
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/leaflet.extras.js",
    "leaflet/leaflet.extras.css",
    "leaflet/draw/leaflet.draw.i18n.js",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png",
)
# Pages that must open without signal: served from the cache at once, refreshed behind.
SHELL_PAGES = ("mobile-home", "m-report", "m-errand-new", "m-diary-new", "m-patrol", "m-outbox", "m-offline")


def _content_hash() -> str:
    digest = hashlib.sha256()
    for path in PRECACHE_STATIC:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    empty = {"version": "", "static": "[]", "pages": "[]", "categories": '""'}
    digest.update(render_to_string("patrols/m/sw.js", empty).encode())
    return digest.hexdigest()[:12]


_cached_hash = lru_cache(maxsize=1)(_content_hash)


def sw_version() -> str:
    return _content_hash() if settings.DEBUG else _cached_hash()


@require_GET
def service_worker(request) -> HttpResponse:
    context = {
        "version": sw_version(),
        "static": json.dumps([static(path) for path in PRECACHE_STATIC]),
        "pages": json.dumps([reverse(name) for name in SHELL_PAGES]),
        "categories": json.dumps(reverse("category-list")),
    }
    response = HttpResponse(render_to_string("patrols/m/sw.js", context), content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("mobile-home")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request) -> JsonResponse:
    home = reverse("mobile-home")
    body = {
        "name": _("Jishou grid worker"),
        "short_name": _("Grid worker"),
        "lang": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#f3f5f8",
        "theme_color": "#b3261e",
        "icons": [
            {"src": static("patrols/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("patrols/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
