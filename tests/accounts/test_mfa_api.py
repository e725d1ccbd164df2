"""Two-factor sign-in for phones' tokens, sessions that owe a code on the API and the live
channel, and the setting that turns enforcement on in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import AccessKind, AccessRecord, ApiToken
from accounts.roles import Role
from tests.accounts.mfa import app_code, enforced, enrol, fresh_code  # noqa: F401  (enforced: a fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("isolated_cache")
ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "0123456789abcdefghijABCDEFGHIJ-_!@#"


def ask_token(username: str, **extra: str):
    body = {"username": username, "password": PASSWORD, **extra}
    return APIClient().post("/api/v1/auth/token/", body, format="json")


def test_a_token_for_an_account_with_mfa_needs_its_code(make_user):
    user = make_user("w1", Role.GRID_WORKER)
    codes = enrol(user)
    missing = ask_token("w1")
    assert missing.status_code == 400 and missing.json() == {"otp": ["请输入验证器应用中的验证码。"]}
    wrong = ask_token("w1", otp="000000")
    assert wrong.status_code == 400 and "验证码不正确" in wrong.json()["otp"][0]
    assert not ApiToken.objects.exists()
    # After wrong codes in a row the device waits 2^(n-1) s (django-otp's throttle; a password
    # check takes longer here than the first waits): 429 with Retry-After.
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=6)
    throttled = ask_token("w1", otp=app_code(TOTPDevice.objects.get(user=user)))
    assert throttled.status_code == 429 and throttled.json()["code"] == "otp_throttled"
    assert 1 <= int(throttled["Retry-After"]) <= 32 and "错误次数过多" in throttled.json()["detail"]
    good = ask_token("w1", otp=fresh_code(user))
    assert good.status_code == 200 and ApiToken.objects.filter(user=user).count() == 1
    with_recovery = ask_token("w1", otp=codes[0])
    assert with_recovery.status_code == 200
    assert ask_token("w1", otp=codes[0]).status_code in {400, 429}  # once only
    kinds = set(AccessRecord.objects.filter(channel="api").values_list("kind", flat=True))
    assert {AccessKind.MFA_FAILED, AccessKind.MFA_VERIFIED, AccessKind.MFA_RECOVERY_USED} <= kinds


def test_a_wrong_password_is_refused_before_any_code_is_asked(make_user):
    enrol(make_user("w1", Role.GRID_WORKER))
    response = APIClient().post("/api/v1/auth/token/", {"username": "w1", "password": "x"}, format="json")
    assert response.status_code == 400 and "otp" not in response.json()


def test_an_account_without_mfa_gets_a_token_with_its_password(make_user, enforced):  # noqa: F811
    make_user("w1", Role.GRID_WORKER)
    assert ask_token("w1").status_code == 200
    assert ask_token("w1", otp="").status_code == 200


def test_a_role_that_must_use_mfa_sets_it_up_before_it_gets_a_token(make_user, enforced):  # noqa: F811
    user = make_user("d1", Role.DISPATCHER)
    refused = ask_token("d1")
    assert refused.status_code == 400 and "先在网页上完成设置" in refused.json()["otp"][0]
    enrol(user)
    assert ask_token("d1", otp=fresh_code(user)).status_code == 200


def test_a_session_that_owes_a_code_gets_403_json_on_the_api(make_user):
    user = make_user("w1", Role.GRID_WORKER)
    enrol(user)
    client = Client()
    client.post("/accounts/login/", {"username": "w1", "password": PASSWORD})
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json() == {"detail": "请先在登录页面完成双因素验证。", "code": "mfa_required"}
    client.post("/accounts/mfa/verify/", {"code": fresh_code(user)})
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db(transaction=True)
async def test_a_session_that_owes_a_code_connects_to_the_live_channel_as_nobody(make_user, settings):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from gridcenter.asgi import application

    settings.MFA_REQUIRED_ROLES = ["dispatcher", "leader", "admin"]

    @sync_to_async
    def signed_in(verified: bool) -> str:
        user = make_user(f"d{int(verified)}", Role.DISPATCHER)
        enrol(user)
        client = Client()
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        if verified:
            client.post("/accounts/mfa/verify/", {"code": fresh_code(user)})
        return client.cookies["sessionid"].value

    for verified, expect_connected in [(False, False), (True, True)]:
        cookie = await signed_in(verified)
        headers = [
            (b"origin", b"http://127.0.0.1:8000"),
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", f"sessionid={cookie}".encode()),
        ]
        socket = WebsocketCommunicator(application, "/ws/user/", headers=headers)
        connected, _code = await socket.connect(timeout=5)
        assert connected is expect_connected
        await socket.disconnect()


def settings_value(name: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"GRIDCENTER_ENV", "SECRET_KEY", "DEBUG"}}
    environment.pop("MFA_REQUIRED_ROLES", None)
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", f"import gridcenter.settings as s; print(','.join(s.{name}))"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_requires_mfa_of_the_centre_and_the_admins_by_default():
    assert settings_value("MFA_REQUIRED_ROLES", GRIDCENTER_ENV="production", SECRET_KEY=GOOD_KEY) == (
        "dispatcher,leader,admin"
    )
    assert settings_value("MFA_REQUIRED_ROLES", GRIDCENTER_ENV="development") == ""
    assert settings_value("MFA_REQUIRED_ROLES", GRIDCENTER_ENV="development", MFA_REQUIRED_ROLES="leader") == "leader"


def test_an_unknown_role_in_the_setting_stops_the_start():
    environment = {**os.environ, "GRIDCENTER_ENV": "development", "MFA_REQUIRED_ROLES": "dispatchers"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "MFA_REQUIRED_ROLES: unknown role dispatchers" in result.stderr
