"""The schema says what the API answers, and the API refuses what the schema calls invalid.

The mismatches schemathesis found (issue 14), one test each; the whole contract is checked
by test_api_contract.py.
"""

import pytest


@pytest.fixture
def schema(api_client, db):
    return api_client.get("/api/schema/", {"format": "json"}).json()


def _ok_schema(schema, path, method="get"):
    return schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]


def test_the_notifications_are_documented_and_answered_as_a_page(schema, api_as, city):
    assert _ok_schema(schema, "/api/v1/notifications/")["$ref"].endswith("/PaginatedNotificationList")
    page = api_as(city.dispatcher).get("/api/v1/notifications/").json()
    assert set(page) == {"count", "next", "previous", "results"}


def test_a_patrols_points_are_documented_and_answered_as_a_list(schema, api_as, city):
    assert _ok_schema(schema, "/api/v1/patrols/{id}/points/")["type"] == "array"
    client = api_as(city.worker_a)
    patrol = client.post(
        "/api/v1/patrols/",
        {"grid": city.grid_a.pk, "client_uuid": "0b8f8a9e-4a5d-4f1e-9a57-2b1f3c4d5e6f"},
        format="json",
    ).json()
    assert client.get(f"/api/v1/patrols/{patrol['id']}/points/").json() == []


def test_every_operation_documents_its_errors(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"400", "401"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method != "get":
                assert "429" in codes, (method, path)


def test_a_json_body_documents_no_file(schema):
    content = schema["paths"]["/api/v1/incidents/"]["post"]["requestBody"]["content"]
    components = schema["components"]["schemas"]
    as_json = components[content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    as_form = components[content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert "photos" not in as_json["properties"]
    assert as_form["properties"]["photos"]["items"]["format"] == "binary"


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/notifications/?unread=maybe", "unread"),
        ("/api/v1/incidents/?overdue=yes", "overdue"),
        ("/api/v1/incidents/?offset=null", "offset"),
        ("/api/v1/incidents/?limit=-1", "limit"),
        ("/api/v1/incidents/?offset=99999999999999999999", "offset"),
    ],
)
def test_a_value_the_schema_calls_invalid_is_a_400(api_as, city, url, field):
    response = api_as(city.dispatcher).get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_an_empty_query_value_is_no_filter(api_as, city):
    city.report()
    client = api_as(city.dispatcher)
    assert client.get("/api/v1/incidents/?overdue=&offset=&limit=").json()["count"] == 1
    assert client.get("/api/v1/incidents/?overdue=false").json()["count"] == 1


def test_a_malformed_client_uuid_names_no_patrol(api_as, city):
    response = api_as(city.worker_a).get("/api/v1/patrols/aabAEcAb7A9a07DF818-1b676373dAf89Db1/")
    assert response.status_code == 404
