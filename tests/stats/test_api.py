"""/api/v1/stats/breakdown/: who may ask, what it answers, its 400s, its place in the schema."""

from __future__ import annotations

import pytest

from tests.stats.conftest import END, START

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/breakdown/"
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


def test_counts_by_one_dimension_with_names(city, mixed, api_as):
    body = api_as(city.leader).get(URL, {**PERIOD, "by": "township"}).json()
    assert body["by"] == ["township"] and body["total"] == 7 and body["from"] == "2026-03-01"
    rows = {row["township"]: (row["township_name"], row["count"]) for row in body["rows"]}
    assert rows == {"433101901": ("测试街道", 6), city.townships["902"].code: ("二号乡", 1)}
    assert body["figures"]["received"] == 7


def test_two_dimensions_and_filters(city, mixed, api_as):
    query = {**PERIOD, "by": "grid,status", "township": city.township.code, "status": ["reported", "dispatched"]}
    body = api_as(city.dispatcher).get(URL, query).json()
    assert body["total"] == 2
    assert {(row["grid_name"], row["status"]) for row in body["rows"]} == {
        (f"{city.grids['C'].name}（{city.grids['C'].code}）", "reported"),
        (f"{city.grid_b.name}（{city.grid_b.code}）", "dispatched"),
    }


@pytest.mark.parametrize(
    ("persona", "status", "total"),
    [
        ("leader", 200, 7),
        ("dispatcher", 200, 7),
        ("admin", 200, 7),
        ("officer_lead", 200, None),
        ("officer_unrelated", 200, 0),
        ("grid_worker", 403, None),
        ("nobody", 403, None),
    ],
)
def test_who_may_ask(city, mixed, api_as, persona, status, total):
    from incidents.models import Case

    user = city.worker_a if persona == "grid_worker" else getattr(city, persona)
    response = api_as(user).get(URL, {**PERIOD, "by": "status"})
    assert response.status_code == status
    if status == 200:
        expected = Case.objects.visible_to(user).count() if total is None else total
        assert response.json()["total"] == expected


def test_anonymous_is_refused(client, db):
    assert client.get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to", "结束日期早于开始日期"),
        ({"from": "2020-01-01", "to": "2026-03-01"}, "to", "导出"),
        ({"by": "colour"}, "by", "category, subcategory, source, township, community, grid, department, status"),
        ({"by": "township,month,status"}, "by", "一个或两个"),
        ({"by": "grid,grid"}, "by", "一个或两个"),
        ({"from": "2026-02-30"}, "from", ""),
        ({"to": "1900-01-01"}, "to", "2000-01-01"),
        ({"status": "lost"}, "status", ""),
        ({"colour": "red"}, "colour", ""),
    ],
)
def test_bad_input_is_a_400_naming_the_field(city, api_as, query, field, words):
    response = api_as(city.leader).get(URL, query)
    assert response.status_code == 400, response.content
    messages = " ".join(map(str, response.json()[field]))
    assert words in messages


def test_the_unknown_dimension_message_names_them_in_chinese(city, api_as):
    body = api_as(city.leader).get(URL, {"by": "colour"}).json()
    assert body["by"][0].startswith("未知的统计维度 colour") and "weekday" in body["by"][0]


def test_in_the_openapi_schema(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"by", "from", "to", "township", "status"} <= names
    assert "400" in operation["responses"] and "403" in operation["responses"]
