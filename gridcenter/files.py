"""Stored files leave only through a view that checked who asks (never from ``/media/``).

No URL serves ``MEDIA_ROOT`` in any mode. A view that has checked the caller answers with
``private_file_response``: Django streams the file itself, or, when nginx fronts it and
``MEDIA_ACCEL_REDIRECT`` names nginx's ``internal`` location of ``MEDIA_ROOT``, hands the
sending to nginx with ``X-Accel-Redirect`` (the check stays Django's; a client cannot
request the internal location).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase


def private_file_response(name: str, content_type: str, cache_control: str) -> HttpResponseBase:
    """The stored file ``name``; raises ``FileNotFoundError`` when there is none."""
    if not name or not default_storage.exists(name):
        raise FileNotFoundError(name)
    prefix = settings.MEDIA_ACCEL_REDIRECT
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
