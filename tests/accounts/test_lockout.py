"""Login lockouts behind the proxy: per real client address, never per proxy, never per forged header.

Requests come as nginx passes them on (``PROXY_COUNT`` = 1): from 127.0.0.1, with the
client's address appended to whatever ``X-Forwarded-For`` the client itself sent.
"""

from __future__ import annotations

import random

import pytest
from rest_framework.settings import api_settings

from accounts.roles import Role
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def address() -> str:
    """A client address of the test's own (benchmarking range 198.18.0.0/15)."""
    return f"198.{random.randint(18, 19)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def via_proxy(client_address: str, forged: str | None = None) -> dict[str, str]:
    """The request's META as gunicorn sees it behind nginx ($proxy_add_x_forwarded_for)."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}


def sign_in(client, username: str, password: str, meta: dict[str, str]):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def token(api_client, username: str, password: str, meta: dict[str, str]):
    return api_client.post(TOKEN, {"username": username, "password": password}, format="json", **meta)


@pytest.fixture(autouse=True)
def _own_rate_counters(isolated_cache):
    """Token-endpoint rate counters of other tests and runs do not count here."""


@pytest.fixture
def worker(make_user):
    return make_user("worker0062", Role.GRID_WORKER)


def test_wrong_passwords_from_one_client_do_not_lock_the_worker_out_from_another(client, api_client, worker, settings):
    attacker, phone = address(), address()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(client, "worker0062", "guess", via_proxy(attacker)).status_code in {200, 429}
    # The attacker's client is locked, and told so.
    locked = sign_in(client, "worker0062", PASSWORD, via_proxy(attacker))
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    # The real worker, from their own phone, signs in on the page and through the API.
    assert sign_in(client, "worker0062", PASSWORD, via_proxy(phone)).status_code == 302
    assert token(api_client, "worker0062", PASSWORD, via_proxy(phone)).status_code == 200


def test_a_forged_forwarded_for_does_not_escape_the_lock(client, worker, settings):
    attacker = address()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "worker0062", "guess", via_proxy(attacker, forged=f"10.0.0.{attempt}"))
    locked = sign_in(client, "worker0062", PASSWORD, via_proxy(attacker, forged="10.9.9.9"))
    assert locked.status_code == 429


def test_without_a_proxy_the_header_is_ignored(client, worker, settings):
    """PROXY_COUNT=0 (clients reach Django directly): X-Forwarded-For is the client's own words."""
    settings.PROXY_COUNT = 0
    attacker = address()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "worker0062", "password": "guess"},
            REMOTE_ADDR=attacker,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    response = client.post(
        LOGIN, {"username": "worker0062", "password": PASSWORD}, REMOTE_ADDR=attacker, HTTP_X_FORWARDED_FOR=address()
    )
    assert response.status_code == 429


def test_the_api_tells_a_locked_user_that_the_account_is_locked(api_client, worker, settings):
    attacker = address()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = token(api_client, "worker0062", "guess", via_proxy(attacker))
        assert response.status_code == 400
        assert response.json()["non_field_errors"]
    fifth = token(api_client, "worker0062", "guess", via_proxy(attacker))
    locked = token(api_client, "worker0062", PASSWORD, via_proxy(attacker))
    for response in (fifth, locked):
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "account_locked"
        assert response.json()["detail"].startswith("账号已锁定")
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "token" not in locked.json()


def test_password_spraying_from_one_client_is_stopped(api_client, client, make_user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    make_user("worker0001", Role.GRID_WORKER)
    sprayer, phone = address(), address()
    statuses = [
        token(api_client, f"worker{number:04d}", "123456", via_proxy(sprayer, forged=address())).status_code
        for number in range(100, 110)
    ]
    assert statuses[:7] == [400] * 7
    assert statuses[7:] == [429] * 3
    # Even a right password is refused from that client, on the API and the page ...
    refused = token(api_client, "worker0001", PASSWORD, via_proxy(sprayer))
    assert refused.status_code == 429
    assert refused.json()["code"] == "address_locked"
    assert "此地址登录失败次数过多" in refused.json()["detail"]
    page = sign_in(client, "worker0001", PASSWORD, via_proxy(sprayer))
    assert page.status_code == 429
    assert "此地址登录失败次数过多" in page.content.decode()
    # ... but not from another client.
    assert token(api_client, "worker0001", PASSWORD, via_proxy(phone)).status_code == 200


def test_a_success_clears_only_that_usernames_failures(api_client, make_user, settings):
    """A sprayer who also knows one password cannot wipe the address's count with it."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    make_user("worker0001", Role.GRID_WORKER)
    sprayer = address()
    for number in range(100, 105):
        assert token(api_client, f"worker{number:04d}", "123456", via_proxy(sprayer)).status_code == 400
    assert token(api_client, "worker0001", PASSWORD, via_proxy(sprayer)).status_code == 200
    assert token(api_client, "worker0106", "123456", via_proxy(sprayer)).status_code == 429


def test_a_fresh_forwarded_for_per_request_does_not_bypass_the_token_rate(api_client, make_user, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "token", "3/min")
    make_user("worker0001", Role.GRID_WORKER)
    client_address = address()
    statuses = [
        token(api_client, "worker0001", PASSWORD, via_proxy(client_address, forged=address())).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert token(api_client, "worker0001", PASSWORD, via_proxy(address())).status_code == 200
