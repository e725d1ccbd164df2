"""A person signs in through the real login page in Chromium."""

import pytest

from accounts.roles import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_dispatcher_signs_in_in_chinese_and_switches_to_english(live_server, page, make_user, screenshot):
    make_user("console-user", Role.DISPATCHER, last_name="王", first_name="芳")
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    # An English browser still gets Chinese: the centre's screens speak Chinese by default.
    assert page.locator("h1").inner_text() == "登录"
    screenshot(page, "login-zh")

    page.fill("input[name=username]", "console-user")
    page.fill("input[name=password]", "wrong")
    page.click("button.primary")
    assert "请输入一个正确的" in page.locator(".form-errors").inner_text()

    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/console/")
    assert "指挥中心值班员" in page.locator("h1").inner_text()
    assert page.locator(".who").inner_text() == "王芳"
    screenshot(page, "console-landing-zh")

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dispatcher"
    assert page.locator("html").get_attribute("lang") == "en"
