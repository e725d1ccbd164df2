"""Privacy headers: no-store on what a signed-in user is shown; Permissions-Policy by page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.roles import Role
from gridcenter.middleware import PrivacyHeadersMiddleware
from tests.conftest import PASSWORD


def test_signed_in_pages_and_api_answers_are_not_stored(make_user, client, isolated_cache):
    dispatcher = make_user("d1", Role.DISPATCHER)
    client.force_login(dispatcher)
    assert client.get("/console/")["Cache-Control"] == "private, no-store"
    assert client.get("/api/v1/me/")["Cache-Control"] == "private, no-store"

    make_user("w1", Role.GRID_WORKER)
    key = APIClient().post("/api/v1/auth/token/", {"username": "w1", "password": PASSWORD}).json()["token"]
    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = phone.get("/api/v1/me/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_anonymous_answers_and_explicit_cache_control_are_left_alone(db, client):
    assert client.get("/find/").get("Cache-Control") != "private, no-store"
    request = RequestFactory().get("/api/v1/grids/geojson/")
    request.user = AnonymousUser()
    assert "Cache-Control" not in PrivacyHeadersMiddleware(lambda r: HttpResponse())(request)

    def explicit(request):
        response = HttpResponse()
        response["Cache-Control"] = "public, max-age=60"
        return response

    request.user = type("Signed", (), {"is_authenticated": True})()
    assert PrivacyHeadersMiddleware(explicit)(request)["Cache-Control"] == "public, max-age=60"


def test_geolocation_and_the_camera_only_where_the_pages_use_them(make_user, client):
    client.force_login(make_user("w1", Role.GRID_WORKER))
    phone = client.get("/m/")
    assert phone.status_code == 200
    assert phone["Permissions-Policy"] == "geolocation=(self), camera=(self), microphone=()"
    assert client.get("/find/")["Permissions-Policy"].startswith("geolocation=(self), camera=()")
    for path in ("/accounts/login/", "/api/v1/me/", "/console/"):
        assert client.get(path)["Permissions-Policy"] == "geolocation=(), camera=(), microphone=()", path
