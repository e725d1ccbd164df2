"""Stored photos leave only through the permission-checked views, in every mode.

``make run`` runs with DEBUG on: no URL may serve ``MEDIA_ROOT`` then either. Behind
nginx (``MEDIA_ACCEL_REDIRECT``), the checked view hands the sending to nginx's internal
location, which a client cannot request itself.
"""

from __future__ import annotations

import importlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import clear_url_caches

from accounts.services.tokens import issue
from incidents.models import Attachment
from tests.incidents.test_api import URL, report_body, upload
from tests.servers import render_nginx

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def debug_urls(settings):
    """The URLs as DEBUG=1 (``make run``) builds them."""
    import gridcenter.urls

    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(gridcenter.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(gridcenter.urls)


@pytest.fixture
def stored_photo(city, api_as, media_root, photo) -> Attachment:
    response = api_as(city.worker_a).post(
        URL, {**report_body(), "photos": [upload(photo((64, 48)))]}, format="multipart"
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(case_id=response.json()["id"])
    assert (media_root / attachment.file.name).exists()
    return attachment


def test_media_urls_serve_nothing_even_in_debug_mode(debug_urls, client, city, stored_photo):
    for user in (None, city.officer_unrelated, city.worker_a):
        if user is not None:
            client.force_login(user)
        for name in (stored_photo.file.name, stored_photo.thumbnail.name):
            assert client.get(f"/media/{name}").status_code == 404


def test_the_checked_view_refuses_the_anonymous_and_those_without_access(
    debug_urls, client, api_client, city, stored_photo
):
    path = f"/api/v1/attachments/{stored_photo.pk}/"
    assert api_client.get(path).status_code == 401
    assert client.get(path).status_code in {401, 403}
    client.force_login(city.officer_unrelated)
    assert client.get(path).status_code == 404
    assert client.get(path + "thumbnail/").status_code == 404
    client.force_login(city.worker_a)
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "X-Accel-Redirect" not in response  # no nginx configured: Django streams it


def test_behind_nginx_the_checked_view_hands_the_file_to_nginx(settings, client, city, stored_photo):
    settings.MEDIA_ACCEL_REDIRECT = "/internal-media/"
    path = f"/api/v1/attachments/{stored_photo.pk}/"
    client.force_login(city.officer_unrelated)
    refused = client.get(path)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    client.force_login(city.worker_a)
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/internal-media/{stored_photo.file.name}"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert response.content == b""


def test_a_bad_accel_prefix_stops_start_up(tmp_path):
    import os
    import sys

    env = dict(os.environ, MEDIA_ACCEL_REDIRECT="internal-media")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "gridcenter.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "MEDIA_ACCEL_REDIRECT" in result.stderr


def free_port() -> int:
    for port in range(8300, 8400):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8300-8399")


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except urllib.error.URLError:
        return 0, {}, b""  # not listening yet


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is installed by scripts/setup.sh")
def test_nginx_sends_the_file_after_the_check_and_never_without(settings, live_server, city, api_as, photo):
    media = Path(tempfile.mkdtemp(prefix="gc-media-"))
    media.chmod(0o755)  # nginx's workers are not root
    settings.MEDIA_ROOT = media
    settings.MEDIA_ACCEL_REDIRECT = "/internal-media/"
    response = api_as(city.worker_a).post(
        URL, {**report_body(), "photos": [upload(photo((64, 48)))]}, format="multipart"
    )
    attachment = Attachment.objects.get(case_id=response.json()["id"])
    stored = (media / attachment.file.name).read_bytes()
    port = free_port()
    prefix = Path(tempfile.mkdtemp(prefix="gc-nginx-"))
    upstream = live_server.url.removeprefix("http://")
    variables = {
        "NGINX_PREFIX": str(prefix),
        "HTTP_PORT": str(port),
        "WSGI_UPSTREAM": upstream,
        "ASGI_UPSTREAM": upstream,
        "MEDIA_ROOT": str(media),
    }
    conf = render_nginx(prefix, variables)
    nginx = subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while fetch(f"{base}/accounts/login/")[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        owner = {"Authorization": f"Token {issue(city.worker_a)[1]}"}
        stranger = {"Authorization": f"Token {issue(city.officer_unrelated)[1]}"}
        status, headers, body = fetch(f"{base}/api/v1/attachments/{attachment.pk}/", owner)
        assert status == 200 and body == stored
        assert headers["Content-Type"] == "image/jpeg"
        assert headers["Cache-Control"] == "private, max-age=86400"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Accel-Redirect" not in headers
        assert fetch(f"{base}/api/v1/attachments/{attachment.pk}/", stranger)[0] == 404
        assert fetch(f"{base}/api/v1/attachments/{attachment.pk}/")[0] == 401
        # The internal location is nginx's alone. (/media/ is not asked here: Django's live
        # test server serves MEDIA_ROOT itself; the tests above show the app never does.)
        status, _headers, body = fetch(f"{base}/internal-media/{attachment.file.name}", owner)
        assert status == 404 and body != stored
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)
