"""Phone tokens end: they expire, their owner and the admin revoke them, and losing the account or a role ends them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import ApiToken, TokenRevocation
from accounts.roles import Role
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _own_rate_counters(isolated_cache):
    """Token-endpoint rate counters of other tests and runs do not count here."""


@pytest.fixture
def worker(make_user):
    return make_user("w1", Role.GRID_WORKER)


def sign_in(username: str = "w1", device: str | None = None) -> str:
    body = {"username": username, "password": PASSWORD} | ({"device": device} if device else {})
    response = APIClient().post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def phone(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    status = phone(key).get("/api/v1/me/").status_code
    assert status in {200, 401}
    return status == 200


def test_a_token_says_when_it_ends_and_only_its_digest_is_stored(worker, settings):
    response = APIClient().post("/api/v1/auth/token/", {"username": "w1", "password": PASSWORD}, format="json")
    key, expires = response.json()["token"], parse_datetime(response.json()["expires_at"])
    assert expires is not None
    assert abs(expires - (timezone.now() + timedelta(days=settings.API_TOKEN_DAYS))) < timedelta(minutes=1)
    stored = ApiToken.objects.get(user=worker)
    assert key not in {stored.digest, stored.prefix} and key.startswith(stored.prefix)
    assert works(key)


def test_a_token_older_than_the_setting_no_longer_works(worker, settings):
    key = sign_in()
    ApiToken.objects.filter(user=worker).update(
        created_at=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS, minutes=1)
    )
    response = phone(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_lowering_the_setting_ends_older_tokens_at_once(worker, settings):
    key = sign_in()
    ApiToken.objects.filter(user=worker).update(created_at=timezone.now() - timedelta(days=10))
    assert works(key)
    settings.API_TOKEN_DAYS = 7
    assert not works(key)


def test_an_inactive_user_cannot_sign_in_for_a_token(make_user):
    make_user("w1", Role.GRID_WORKER, is_active=False)
    response = APIClient().post("/api/v1/auth/token/", {"username": "w1", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_a_person_lists_their_phones_tokens_and_sees_which_is_this_one(worker, make_user):
    old = sign_in(device="Redmi 9A")
    new = sign_in(device="Honor X7")
    sign_in_as_other = make_user("w2", Role.GRID_WORKER)
    sign_in("w2")
    response = phone(new).get("/api/v1/me/tokens/")
    assert response.status_code == 200
    rows = response.json()
    assert [row["device"] for row in rows] == ["Honor X7", "Redmi 9A"]
    assert [row["current"] for row in rows] == [True, False]
    assert {row["prefix"] for row in rows} == {new[:8], old[:8]}
    assert all(
        set(row) == {"id", "prefix", "device", "created_at", "last_used_at", "expires_at", "current"} for row in rows
    )
    assert sign_in_as_other.api_tokens.count() == 1


def test_the_device_defaults_to_the_phones_user_agent(worker):
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"username": "w1", "password": PASSWORD},
        format="json",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10)",
    )
    assert (
        phone(response.json()["token"]).get("/api/v1/me/tokens/").json()[0]["device"]
        == "Mozilla/5.0 (Linux; Android 10)"
    )


def test_a_person_revokes_a_lost_phones_token(worker):
    lost, kept = sign_in(device="lost"), sign_in(device="kept")
    lost_id = ApiToken.objects.get(device="lost").pk
    assert phone(kept).delete(f"/api/v1/me/tokens/{lost_id}/").status_code == 204
    assert not works(lost)
    assert works(kept)
    token = ApiToken.objects.get(pk=lost_id)
    assert token.revoked_reason == TokenRevocation.USER and token.revoked_by == worker
    assert [row["device"] for row in phone(kept).get("/api/v1/me/tokens/").json()] == ["kept"]
    # Revoked already: gone from the list, and a second delete is a 404.
    assert phone(kept).delete(f"/api/v1/me/tokens/{lost_id}/").status_code == 404


def test_another_persons_token_cannot_be_revoked(worker, make_user):
    make_user("w2", Role.GRID_WORKER)
    theirs = sign_in("w2")
    mine = sign_in()
    response = phone(mine).delete(f"/api/v1/me/tokens/{ApiToken.objects.get(user__username='w2').pk}/")
    assert response.status_code == 404
    assert works(theirs)


def test_the_token_list_needs_a_sign_in(db):
    assert APIClient().get("/api/v1/me/tokens/").status_code == 401
    assert APIClient().delete("/api/v1/me/tokens/1/").status_code == 401


def test_the_admin_lists_tokens_and_revokes_a_lost_phones(client, worker, admin_user):
    lost, kept = sign_in(device="lost phone"), sign_in(device="new phone")
    client.force_login(admin_user)
    listing = client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    assert "lost phone" in listing.content.decode() and lost not in listing.content.decode()
    token = ApiToken.objects.get(device="lost phone")
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "已撤销 1 个令牌" in response.content.decode()
    assert not works(lost)
    assert works(kept)
    token.refresh_from_db()
    assert token.revoked_reason == TokenRevocation.ADMIN and token.revoked_by == admin_user
    # A record, not something to edit or delete.
    assert client.get(f"/admin/accounts/apitoken/{token.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_only_the_admin_sees_the_tokens(client, worker, dispatcher):
    sign_in()
    client.force_login(dispatcher)
    assert client.get("/admin/accounts/apitoken/").status_code in {302, 403}


def test_deactivating_the_account_ends_its_tokens(worker):
    key = sign_in()
    worker.is_active = False
    worker.save()
    assert ApiToken.objects.get(user=worker).revoked_reason == TokenRevocation.DEACTIVATED
    worker.is_active = True
    worker.save()
    assert not works(key)  # reactivation does not bring a lost phone back


def test_deactivating_through_the_admin_ends_its_tokens(client, worker, admin_user):
    key = sign_in()
    client.force_login(admin_user)
    page = client.get(f"/admin/auth/user/{worker.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "groups": [group.pk for group in worker.groups.all()],
            "user_permissions": [],
            "date_joined_0": worker.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": worker.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("last_login", None)
    response = client.post(f"/admin/auth/user/{worker.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not works(key)


@pytest.mark.parametrize("how", ["user side", "group side", "clear", "group deleted"])
def test_losing_a_role_ends_the_tokens(worker, how):
    key = sign_in()
    group = Group.objects.get(name=Role.GRID_WORKER.value)
    if how == "user side":
        worker.groups.remove(group)
    elif how == "group side":
        group.user_set.remove(worker)
    elif how == "clear":
        worker.groups.clear()
    else:
        group.delete()
    assert not works(key)
    assert ApiToken.objects.get(user=worker).revoked_reason == TokenRevocation.ROLE_REMOVED


def test_a_superuser_who_stops_being_one_loses_the_tokens(make_user):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    key = sign_in("boss")
    admin.is_superuser = False
    admin.save()
    assert not works(key)


def test_gaining_a_role_or_signing_in_again_keeps_the_tokens(worker):
    key = sign_in()
    worker.groups.add(Group.objects.get_or_create(name=Role.DISPATCHER.value)[0])
    sign_in()  # updates last_login
    worker.first_name = "三"
    worker.save()
    assert works(key)
