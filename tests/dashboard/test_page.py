"""The wall screen page, the case panel endpoint, and urging from the screen."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from incidents.choices import CaseStatus


def test_the_dashboard_url_name_is_the_wall_screen():
    assert reverse("dashboard") == "/dashboard/"


@pytest.mark.parametrize("who", ["leader", "dispatcher", "admin"])
def test_wall_screen_roles_open_the_page(client, city, who):
    client.force_login(getattr(city, who))
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="wallmap"' in html and "vendor/echarts/echarts.min.js" in html
    assert "vendor/markercluster/leaflet.markercluster.js" in html
    assert "//cdn" not in html and "unpkg" not in html  # everything is served locally
    config = json.loads(re.search(r'<script id="screen-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["wsPath"] == "/ws/dashboard/"
    assert config["urgeUrl"] == "/api/v1/incidents/0/urge/"
    assert set(config["statuses"]) == set(CaseStatus.values)


def test_the_page_speaks_chinese_by_default_and_english_on_request(client, city):
    client.force_login(city.leader)
    html = client.get("/dashboard/").content.decode()
    assert '<html lang="zh-hans"' in html and "指挥大屏" in html and "办结销号" in html
    client.cookies["django_language"] = "en"
    html = client.get("/dashboard/").content.decode()
    assert '<html lang="en"' in html and "Wall screen" in html and 'action="/i18n/setlang/"' in html


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["worker_a", "officer_lead"])
def test_other_roles_are_refused(client, city, who):
    client.force_login(getattr(city, who))
    assert client.get("/dashboard/").status_code == 403
    case = city.report()
    assert client.get(f"/dashboard/cases/{case.pk}/").status_code == 403


def test_the_case_panel_endpoint(client, city):
    case = city.case_in(CaseStatus.DISPATCHED)
    assert client.get(f"/dashboard/cases/{case.pk}/").status_code in (401, 403)
    client.force_login(city.leader)
    body = client.get(f"/dashboard/cases/{case.pk}/").json()
    assert body["tracking_no"] == case.tracking_no and body["can_urge"] is True
    assert [step["action"] for step in body["timeline"]] == ["report", "accept", "dispatch"]
    assert client.get("/dashboard/cases/999999/").status_code == 404
    assert client.get("/dashboard/cases/abc/").status_code == 404


def test_a_leader_urges_from_the_screen_through_the_incidents_api(city, make_user):
    case = city.case_in(CaseStatus.IN_PROGRESS)
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.leader)
    html = client.get("/dashboard/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    url = f"/api/v1/incidents/{case.pk}/urge/"
    assert client.post(url, {"note": "请加快"}, content_type="application/json").status_code == 403  # no CSRF token
    response = client.post(url, {"note": "请加快"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.urge_count == 1

    closed = city.case_in(CaseStatus.CLOSED)
    response = client.post(
        f"/api/v1/incidents/{closed.pk}/urge/", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 409

    worker = Client()
    worker.force_login(make_user("d-someone", Role.GRID_WORKER))
    assert worker.post(url, {}, content_type="application/json").status_code in (403, 404)
