"""Token sign-in for phones and GET /api/v1/me/."""

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD


def test_a_phone_gets_a_token_and_uses_it(api_client, make_user):
    make_user("w1", Role.GRID_WORKER, last_name="刘", first_name="少贵")
    response = api_client.post("/api/v1/auth/token/", {"username": "w1", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "w1"
    assert me.json()["roles"] == ["grid_worker"]
    assert me.json()["display_name"] == "刘少贵"


def test_a_wrong_password_gets_400_with_a_message(api_client, make_user):
    make_user("w1", Role.GRID_WORKER)
    response = api_client.post("/api/v1/auth/token/", {"username": "w1", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]


@pytest.mark.parametrize("body", [{}, {"username": "w1"}, {"password": "x"}, {"username": ["a"], "password": 3}])
def test_missing_or_malformed_fields_get_400_with_field_messages(api_client, db, body):
    response = api_client.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"username", "password", "non_field_errors"}


def test_me_needs_authentication(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_is_refused(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_the_schema_and_its_docs_are_served_locally(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
