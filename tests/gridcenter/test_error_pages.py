"""Error pages in the site's layout and in Chinese, with a way back; the site's icon."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import path

from gridcenter import httperrors
from gridcenter.urls import urlpatterns


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("forbidden/", forbidden), *urlpatterns]


def assert_site_page(html: str) -> None:
    assert 'class="topbar"' in html and "吉首" in html  # the site's layout
    assert 'href="/favicon.ico"' not in html and "favicon.svg" in html
    assert 'class="error-home" href="/"' in html and "返回我的首页" in html
    assert "Not Found" not in html and "Forbidden" not in html and "Server Error" not in html


def test_an_unknown_page_is_a_chinese_404_in_the_layout(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert_site_page(html)


@override_settings(ROOT_URLCONF=__name__)
def test_a_forbidden_page_is_a_chinese_403_with_the_signed_in_top_bar(client, city):
    client.force_login(city.workers["a"])
    response = client.get("/forbidden/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "您无权打开此页面" in html and "退出" in html  # still signed in, in the same layout
    assert_site_page(html)


def test_the_500_page_needs_no_request_context():
    # Django renders 500.html with an empty context: no user, no CSRF token, no messages.
    response = httperrors.server_error(RequestFactory().get("/console/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in html
    assert_site_page(html)
    assert "lang-switch" not in html  # the language form would need a CSRF token


@pytest.mark.parametrize("prefix", ["/api/v1/incidents/", "/api/v1/no-such-thing/"])
def test_errors_under_api_stay_json(client, db, prefix):
    response = client.get(prefix + "abc/")
    assert response.status_code in (401, 403, 404)
    assert response["Content-Type"].startswith("application/json")


def test_the_site_has_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert b"<svg" in body
    assert "favicon.svg" in client.get("/accounts/login/").content.decode()
