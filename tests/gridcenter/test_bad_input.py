"""Inputs that once gave a 500 are a 400 with a field message (issue 14, "Must fix" 4).

JSON nested thousands deep (``RecursionError``), days far outside the platform's years
(``OverflowError``) and NUL characters in a query (which PostgreSQL cannot hold).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gridcenter.dates import EARLIEST, LATEST
from gridcenter.parsers import MAX_DEPTH

DEEP = "[" * 2000 + "]" * 2000


def nested(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


@pytest.mark.parametrize("body", [DEEP, nested(2000), nested(MAX_DEPTH + 1)])
def test_json_nested_too_deep_is_a_400_on_the_anonymous_token_endpoint(body, db):
    response = APIClient().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert str(MAX_DEPTH) in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/incidents/", "/api/v1/patrols/", "/api/v1/diary/", "/api/v1/directives/"])
def test_json_nested_too_deep_is_a_400_on_every_json_endpoint(url, city, api_as):
    user = city.dispatcher if "directives" in url else city.worker_a
    response = api_as(user).post(url, DEEP, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_as_deep_as_allowed_still_reaches_the_view(city, api_as):
    response = api_as(city.worker_a).post("/api/v1/incidents/", nested(MAX_DEPTH), content_type="application/json")
    assert response.status_code == 400
    assert "subcategory" in response.json()  # the view's own field messages: the body was parsed


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/stats/summary/?at=9999-12-31", "at"),
        ("/api/v1/stats/summary/?at=0001-01-01", "at"),
        ("/api/v1/coverage/?date=0001-01-01", "date"),
        ("/api/v1/coverage/?date=9999-12-31", "date"),
        ("/api/v1/coverage/geojson/?date=0001-01-01", "date"),
        ("/api/v1/coverage/geojson/?date=9999-12-31", "date"),
        ("/api/v1/diary/?occurred_after=0001-01-01", "occurred"),
        ("/api/v1/diary/?occurred_before=9999-12-31", "occurred"),
        ("/api/v1/patrols/?date=9999-12-31", "date"),
        ("/api/v1/patrols/?date=0001-01-01", "date"),
        ("/api/v1/incidents/?created_before=9999-12-31", "created"),
    ],
)
def test_a_day_outside_the_platform_s_years_is_a_400_with_the_field(url, field, city, api_as):
    response = api_as(city.dispatcher).get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field]
    assert "2000-01-01" in body[field][0] and "2099-12-31" in body[field][0]


def test_the_first_and_last_days_are_accepted(city, api_as):
    client = api_as(city.dispatcher)
    for day in (EARLIEST, LATEST):
        assert client.get(f"/api/v1/stats/summary/?at={day}").status_code == 200
        assert client.get(f"/api/v1/coverage/?date={day}").status_code == 200
        assert client.get(f"/api/v1/diary/?occurred_after={day}&occurred_before={day}").status_code == 200
        assert client.get(f"/api/v1/patrols/?date={day}").status_code == 200


@pytest.mark.parametrize("query", ["occurred_after=0001-01-01", "occurred_before=9999-12-31"])
def test_the_centre_s_diary_page_shows_a_form_error_for_such_a_day(query, city, client):
    client.force_login(city.dispatcher)
    response = client.get(f"/console/diary/?{query}")
    assert response.status_code == 400
    assert "2000-01-01" in response.content.decode()  # the field's message, on the page


def test_a_nul_in_a_query_parameter_is_a_400_naming_it(city, api_as):
    response = api_as(city.worker_a).get("/api/v1/categories/?q=a%00b")
    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_a_nul_in_a_page_s_query_is_a_400(city, client, admin_user):
    client.force_login(admin_user)
    assert client.get("/workbench/?department=%00").status_code == 400
    assert client.get("/workbench/?department=CGJ").status_code == 200
