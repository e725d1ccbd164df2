"""Two-factor sign-in on the pages: enrolment with a QR code, the code after the password,
wrong codes refused and throttled, recovery codes that work once, enforcement by role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessKind, AccessRecord
from accounts.roles import Role
from tests.accounts.mfa import app_code, enforced, enrol, fresh_code  # noqa: F401  (enforced: a fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("isolated_cache")


def sign_in(client, username: str):
    """The password step; returns where the site sends the person next."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


def kinds() -> list[str]:
    return list(AccessRecord.objects.order_by("id").values_list("kind", flat=True))


def test_enrolment_shows_a_qr_code_and_the_key_and_a_first_code_turns_it_on(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    client.force_login(user)
    page = client.get("/accounts/mfa/setup/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "设置双因素认证" in html and "<svg" in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from base64 import b32encode

    assert b32encode(device.bin_key).decode()[:4] in html  # the key, for typing by hand
    # Reloading shows the same key (the app has scanned it already).
    assert client.get("/accounts/mfa/setup/").context["enrolment"].device == device

    wrong = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    done = client.post("/accounts/mfa/setup/", {"code": app_code(device)})
    html = done.content.decode()
    assert done.status_code == 200 and "恢复码" in html and "只显示这一次" in html
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10 and all(len(code) == 9 and code[4] == "-" for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert AccessKind.MFA_ENROLLED in kinds() and AccessKind.MFA_FAILED in kinds()
    # The session that enrolled is verified; the recovery codes are not shown again.
    assert client.get("/m/").status_code == 200
    assert client.get("/accounts/mfa/setup/")["Location"] == "/accounts/mfa/"


def test_a_person_with_mfa_gives_a_code_after_the_password(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    enrol(user)
    step = sign_in(client, "w1")
    assert step.status_code == 302 and step["Location"].startswith("/accounts/mfa/verify/")
    page = client.get(step["Location"])
    html = page.content.decode()
    assert "双因素验证" in html and "恢复码" in html
    assert "我的网格" not in html and "live.js" not in html  # no menus, no live channel yet
    assert client.get("/m/")["Location"].startswith("/accounts/mfa/verify/")
    done = client.post("/accounts/mfa/verify/", {"code": fresh_code(user), "next": "/m/"})
    assert done.status_code == 302 and done["Location"] == "/m/"
    assert client.get("/m/").status_code == 200
    assert kinds()[-1] == AccessKind.MFA_VERIFIED


def test_a_wrong_code_is_refused_recorded_and_throttled(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    enrol(user)
    sign_in(client, "w1")
    wrong = client.post("/accounts/mfa/verify/", {"code": "123456"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    # Right away, even the right code is refused: django-otp's throttle waits 2^(n-1) s.
    device = TOTPDevice.objects.get(user=user)
    throttled = client.post("/accounts/mfa/verify/", {"code": app_code(device)})
    assert "错误次数过多" in throttled.content.decode()
    assert client.get("/m/").status_code == 302
    failures = AccessRecord.objects.filter(kind=AccessKind.MFA_FAILED, user=user).order_by("id")
    assert failures.count() == 2 and "错误次数过多" in failures.last().detail
    # Once the wait is over, the right code works (last_t: enrolment used this period's code).
    waited = timezone.now() - timedelta(seconds=5)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=waited, last_t=-1)
    assert client.post("/accounts/mfa/verify/", {"code": app_code(device)}).status_code == 302
    assert client.get("/m/").status_code == 200


def test_a_recovery_code_signs_in_once(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    codes = enrol(user)
    sign_in(client, "w1")
    assert client.post("/accounts/mfa/verify/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/m/").status_code == 200
    (used,) = AccessRecord.objects.filter(kind=AccessKind.MFA_RECOVERY_USED)
    assert used.detail == "登录；剩余恢复码：9"
    client.logout()
    sign_in(client, "w1")
    again = client.post("/accounts/mfa/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    StaticToken.objects.filter(device__user=user)  # the others still work
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert client.post("/accounts/mfa/verify/", {"code": codes[1].replace("-", " ")}).status_code == 302


@pytest.mark.parametrize("role", [Role.DISPATCHER, Role.LEADER, Role.ADMIN])
def test_the_centre_roles_must_set_it_up_before_anything_else(client, make_user, enforced, role):  # noqa: F811
    user = make_user("c1", role, is_staff=role is Role.ADMIN, is_superuser=role is Role.ADMIN)
    step = sign_in(client, "c1")
    assert step["Location"].startswith("/accounts/mfa/setup/")
    for path in ["/console/", "/dashboard/", "/admin/", "/accounts/mfa/", "/stats/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/setup/"), path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "mfa_required"
    page = client.get("/accounts/mfa/setup/")
    assert "您的角色必须使用双因素认证" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/accounts/mfa/setup/", {"code": app_code(device)}).status_code == 200
    landing = client.get("/").get("Location")
    assert client.get(landing).status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    # The next sign-in asks for a code.
    client.logout()
    assert sign_in(client, "c1")["Location"].startswith("/accounts/mfa/verify/")


@pytest.mark.parametrize(("role", "landing"), [(Role.GRID_WORKER, "/m/"), (Role.OFFICER, "/workbench/")])
def test_workers_and_officers_may_choose_it(client, make_user, enforced, role, landing):  # noqa: F811
    make_user("p1", role)
    assert sign_in(client, "p1")["Location"] == landing
    assert client.get(landing).status_code == 200
    overview = client.get("/accounts/mfa/")
    assert overview.status_code == 200 and "未启用" in overview.content.decode()
    assert client.get("/accounts/mfa/setup/").status_code == 200


def test_the_demo_logins_work_without_mfa_in_development(client, make_user):
    # The default here (GRIDCENTER_ENV=development, as under `make run`): nobody must use it.
    make_user("c1", Role.DISPATCHER)
    assert sign_in(client, "c1")["Location"] == "/console/"


def test_turning_it_off_needs_a_code(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    enrol(user)
    client.force_login(user)
    client.post("/accounts/mfa/verify/", {"code": fresh_code(user)})
    refused = client.post("/accounts/mfa/disable/", {"code": "99999"})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    done = client.post("/accounts/mfa/disable/", {"code": fresh_code(user)})
    assert done["Location"] == "/accounts/mfa/"
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticToken.objects.exists()
    assert AccessKind.MFA_DISABLED in kinds()
    client.logout()
    assert sign_in(client, "w1")["Location"] == "/m/"


def test_a_required_role_that_resets_its_own_sets_up_the_new_phone_at_once(client, make_user, enforced):  # noqa: F811
    user = make_user("c1", Role.DISPATCHER)
    enrol(user)
    sign_in(client, "c1")
    client.post("/accounts/mfa/verify/", {"code": fresh_code(user)})
    done = client.post("/accounts/mfa/disable/", {"code": fresh_code(user)})
    assert done["Location"] == "/accounts/mfa/setup/"
    assert client.get("/console/")["Location"].startswith("/accounts/mfa/setup/")


def test_new_recovery_codes_replace_the_old_ones(client, make_user):
    user = make_user("w1", Role.GRID_WORKER)
    old = enrol(user)
    client.force_login(user)
    client.post("/accounts/mfa/verify/", {"code": fresh_code(user)})
    assert "剩余 10 个恢复码" in client.get("/accounts/mfa/").content.decode()
    renewed = client.post("/accounts/mfa/recovery-codes/", {"code": fresh_code(user)})
    new = renewed.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert AccessKind.MFA_CODES_RENEWED in kinds()
    client.logout()
    sign_in(client, "w1")
    assert client.post("/accounts/mfa/verify/", {"code": old[0]}).status_code == 200
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    assert client.post("/accounts/mfa/verify/", {"code": new[0]}).status_code == 302


def test_pages_for_signed_in_people_only(client, db):
    for path in ["/accounts/mfa/", "/accounts/mfa/setup/", "/accounts/mfa/verify/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/")
