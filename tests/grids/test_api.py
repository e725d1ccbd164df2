"""The grids API: locate (public), nearest cameras (staff), GeoJSON; errors and privacy."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry

from tests.grids.conftest import PRIVATE_PHONE, PUBLIC_PHONE

LOCATE = "/api/v1/grids/locate/"
NEAREST = "/api/v1/cameras/nearest/"


def test_locate_answers_grid_community_township_and_public_contacts(small_city, api_client):
    response = api_client.get(LOCATE, {"lat": "28.255", "lng": "109.705"})
    assert response.status_code == 200
    body = response.json()
    grid = small_city.grids["A"]
    assert body["grid"] == {
        "id": grid.pk,
        "code": grid.code,
        "name": grid.name,
        "population": 500,
        "households": 160,
    }
    assert body["community"] == {"code": "433101001001", "name": "南社区"}
    assert body["township"] == {"code": "433101001", "name": "测试街道"}
    assert body["generation"] == small_city.generation.pk
    assert body["workers"] == [{"name": "张公示", "phone": PUBLIC_PHONE, "is_lead": True}]


def test_locate_never_shows_private_data(small_city, api_client):
    text = api_client.get(LOCATE, {"lat": "28.255", "lng": "109.705"}).content.decode()
    assert PRIVATE_PHONE not in text
    assert "李保密" not in text
    for private in ("t-lead", "t-private", "username", "email", "user"):
        assert f'"{private}"' not in text


def test_locate_on_a_shared_vertex_is_stable(small_city, api_client):
    codes = {api_client.get(LOCATE, {"lat": "28.26", "lng": "109.71"}).json()["grid"]["code"] for _ in range(3)}
    assert codes == {small_city.grids["A"].code}


def test_locate_outside_the_city_is_404_with_a_message(small_city, api_client):
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api_client.get(LOCATE, {"lat": "28.4", "lng": "109.9"})
    assert response.status_code == 404
    assert response.json() == {"detail": "This point is outside the city's grids.", "code": "outside"}


def test_the_404_message_is_chinese_by_default(small_city, api_client):
    response = api_client.get(LOCATE, {"lat": "28.4", "lng": "109.9"})
    assert response.status_code == 404
    assert "网格" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"lat": "abc", "lng": "109.7"}, {"lat"}),
        ({"lat": "28.2", "lng": ""}, {"lng"}),
        ({"lat": "91", "lng": "109.7"}, {"lat"}),
        ({"lat": "28.2", "lng": "-180.5"}, {"lng"}),
        ({"lat": "nan", "lng": "109.7"}, {"lat"}),
        ({"lat": "28.2", "lng": "inf"}, {"lng"}),
        ({}, {"lat", "lng"}),
        ({"lat": "1e999", "lng": "1,5"}, {"lat", "lng"}),
    ],
)
def test_malformed_or_out_of_range_coordinates_are_400_with_field_messages(small_city, api_client, params, fields):
    response = api_client.get(LOCATE, params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == fields
    assert all(isinstance(body[f], list) and body[f] for f in fields)


def test_nearest_cameras_are_for_the_centres_staff(
    small_city, api_client, api_as, grid_worker, officer, dispatcher, leader
):
    params = {"lat": "28.2551", "lng": "109.7051", "limit": "2"}
    assert api_client.get(NEAREST, params).status_code in (401, 403)
    assert api_as(grid_worker).get(NEAREST, params).status_code == 403
    assert api_as(officer).get(NEAREST, params).status_code == 403
    assert api_as(leader).get(NEAREST, params).status_code == 200
    response = api_as(dispatcher).get(NEAREST, params)
    assert response.status_code == 200
    body = response.json()
    assert [c["code"] for c in body] == ["43310100001320000001", "43310100001320000002"]
    assert body[0]["distance_m"] < body[1]["distance_m"]
    assert body[0]["lat"] == pytest.approx(28.255) and body[0]["lng"] == pytest.approx(109.705)
    assert api_as(dispatcher).get(NEAREST, {**params, "limit": "0"}).status_code == 400
    assert api_as(dispatcher).get(NEAREST, {"lat": "x", "lng": "1"}).status_code == 400


def test_grids_geojson_is_public_compact_and_simplifiable(small_city, api_client):
    response = api_client.get("/api/v1/grids/geojson/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == sorted(g.code for g in small_city.grids.values())
    first = data["features"][0]
    assert GEOSGeometry(json.dumps(first["geometry"])).equals(small_city.grids["A"].boundary)
    assert b" " not in response.content.replace(b"\xe7", b"")  # no pretty-printing
    assert PUBLIC_PHONE not in response.content.decode()

    for params in ({"zoom": "12"}, {"simplify": "0.001"}):
        simplified = api_client.get("/api/v1/grids/geojson/", params)
        assert simplified.status_code == 200
        assert len(json.loads(simplified.content)["features"]) == 4
    bbox = api_client.get("/api/v1/grids/geojson/", {"bbox": "109.700,28.250,109.709,28.259"})
    assert [f["properties"]["code"] for f in json.loads(bbox.content)["features"]] == [small_city.grids["A"].code]
    for bad in ({"simplify": "-1"}, {"zoom": "99"}, {"bbox": "1,2,3"}, {"bbox": "3,2,1,4"}, {"simplify": "nan"}):
        assert api_client.get("/api/v1/grids/geojson/", bad).status_code == 400


def test_townships_geojson_is_public(small_city, api_client):
    data = json.loads(api_client.get("/api/v1/townships/geojson/").content)
    assert [f["properties"] for f in data["features"]] == [
        {"code": "433101001", "name": "测试街道", "kind": "subdistrict"}
    ]


def test_cameras_geojson_is_for_the_centres_staff(small_city, api_client, api_as, dispatcher):
    assert api_client.get("/api/v1/cameras/geojson/").status_code in (401, 403)
    response = api_as(dispatcher).get("/api/v1/cameras/geojson/")
    assert response.status_code == 200
    assert len(json.loads(response.content)["features"]) == 3


def test_the_locate_query_count_is_fixed(small_city, api_client, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = api_client.get(LOCATE, {"lat": "28.255", "lng": "109.705"})
    assert response.status_code == 200
    assert response.json()["grid"]["code"] == small_city.grids["A"].code
    assert response.json()["workers"] == [{"name": "张公示", "phone": PUBLIC_PHONE, "is_lead": True}]
