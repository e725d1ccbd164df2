"""Two-factor sign-in in Chromium: a dispatcher sets up the authenticator, keeps the recovery
codes, and gives a code at the next sign-in."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.accounts.mfa import CENTRE, app_code, fresh_code
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "d1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")


def test_a_dispatcher_sets_up_mfa_and_signs_in_with_a_code(live_server, page, make_user, settings, screenshot):
    settings.MFA_REQUIRED_ROLES = CENTRE
    user = make_user("d1", Role.DISPATCHER, last_name="王", first_name="芳")
    sign_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/mfa/setup/**")
    assert page.locator("h1").inner_text() == "设置双因素认证"
    assert page.locator(".mfa-qr svg").is_visible()
    assert page.locator(".topnav a").count() == 0  # nothing else to open yet
    screenshot(page, "mfa-setup")
    page.screenshot(path="/tmp/mfa-setup.png", full_page=True)

    page.fill("input[name=code]", "000000")
    page.click("button.primary")
    assert "验证码不正确" in page.locator(".field-error").inner_text()
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0)
    page.fill("input[name=code]", app_code(TOTPDevice.objects.get(user=user, confirmed=False)))
    page.click("button.primary")
    assert page.locator("h1").inner_text() == "恢复码"
    assert page.locator(".mfa-code-list li").count() == 10
    page.screenshot(path="/tmp/mfa-recovery-codes.png", full_page=True)
    page.click("a.button.primary")
    page.wait_for_url(f"{live_server.url}/console/")

    page.click("button:has-text('退出')")
    sign_in(page, live_server.url)
    page.wait_for_url(f"{live_server.url}/accounts/mfa/verify/**")
    assert page.locator("h1").inner_text() == "双因素验证"
    page.screenshot(path="/tmp/mfa-verify.png", full_page=True)
    page.fill("input[name=code]", fresh_code(user))
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.locator(".who").inner_text() == "王芳"
    page.click(".who")
    page.wait_for_url(f"{live_server.url}/accounts/mfa/")
    assert "剩余 10 个恢复码" in page.locator("main").inner_text()
    page.screenshot(path="/tmp/mfa-overview.png", full_page=True)
