"""Every error under /api/ is JSON; lists are paged at most ``API_MAX_PAGE_SIZE`` rows.

From issue 14: a non-numeric id and a 3 MB body answered HTML, TRACE (refused by nginx)
had no ``Allow`` header, and ``?limit=100000`` returned 13,445 cases at once.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

from gridcenter import httperrors
from gridcenter.pagination import LimitOffsetPagination
from notifications.choices import NotificationKind
from notifications.services import notify_link
from tests.servers import free_port, listens, render_nginx

ROOT = Path(__file__).resolve().parents[2]


def assert_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == code and body["detail"]


def test_a_non_numeric_id_is_a_json_404(city, api_as):
    client = api_as(city.dispatcher)
    assert_json_error(client.get("/api/v1/incidents/abc/"), 404, "not_found")
    assert_json_error(client.get("/api/v1/directives/abc/"), 404, "not_found")
    assert_json_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_pages_keep_their_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_body_over_the_upload_limit_is_a_json_413(city, api_as):
    body = json.dumps({"description": "x" * 3_000_000})
    response = api_as(city.worker_a).post("/api/v1/incidents/", body, content_type="application/json")
    assert_json_error(response, 413, "too_large")


def test_trace_is_a_405_with_allow(city, api_as):
    response = api_as(city.dispatcher).generic("TRACE", "/api/v1/incidents/")
    assert_json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    ("handler", "status", "code"),
    [
        (lambda r: httperrors.bad_request(r, Exception()), 400, "bad_request"),
        (lambda r: httperrors.permission_denied(r, Exception()), 403, "permission_denied"),
        (lambda r: httperrors.page_not_found(r, Exception()), 404, "not_found"),
        (httperrors.server_error, 500, "server_error"),
    ],
)
def test_the_error_handlers_answer_json_under_api_and_html_elsewhere(handler, status, code):
    assert_json_error(handler(RequestFactory().get("/api/v1/incidents/")), status, code)
    page = handler(RequestFactory().get("/console/"))
    assert page.status_code == status and page["Content-Type"].startswith("text/html")


# --- the maximum page size -----------------------------------------------------------------------


def test_a_huge_limit_gets_at_most_the_maximum_page(city, api_as, settings):
    settings.API_MAX_PAGE_SIZE = 2
    for _ in range(3):
        city.report()
        notify_link(city.dispatcher.pk, NotificationKind.EXPORT, "导出已完成", "/exports/1/")
    client = api_as(city.dispatcher)
    for url in ("/api/v1/incidents/?limit=100000", "/api/v1/notifications/?limit=100000", "/api/v1/incidents/"):
        page = client.get(url).json()
        assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]


def _api_views(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/"):
            view = getattr(pattern.callback, "cls", None)
            if view is not None and issubclass(view, APIView):
                yield route, view


def test_every_paged_api_list_uses_the_capped_pagination():
    views = dict(_api_views(get_resolver()))
    assert len(views) > 30
    wrong = {
        route: view.__name__
        for route, view in views.items()
        if getattr(view, "pagination_class", None) is not None
        and not issubclass(view.pagination_class, LimitOffsetPagination)
    }
    assert wrong == {}


# --- nginx in front: what it refuses itself is JSON too ----------------------------------------


@pytest.fixture
def proxy(tmp_path):
    """nginx from deploy/nginx.conf.template, its upstreams closed ports."""
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed")
    port = free_port()
    values = {
        "NGINX_PREFIX": str(tmp_path),
        "HTTP_PORT": f"127.0.0.1:{port}",
        "WSGI_UPSTREAM": f"127.0.0.1:{free_port()}",
        "ASGI_UPSTREAM": f"127.0.0.1:{free_port()}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    conf = render_nginx(tmp_path, values)
    command = ["nginx", "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not listens(port):
            assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _ask(port: int, method: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, "/api/v1/incidents/")
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    connection.endheaders()
    return connection.getresponse()


def test_nginx_answers_trace_with_405_allow_and_json(proxy):
    response = _ask(proxy, "TRACE")
    assert response.status == 405
    assert "GET" in response.getheader("Allow")
    assert json.loads(response.read())["code"] == "method_not_allowed"


def test_nginx_answers_a_body_over_its_limit_with_413_json(proxy):
    response = _ask(proxy, "POST", {"Content-Length": str(30 * 1024 * 1024), "Content-Type": "application/json"})
    assert response.status == 413
    assert json.loads(response.read())["code"] == "too_large"
