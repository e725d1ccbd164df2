"""Signing in, the per-role landing pages, the language switch and login throttling."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import PASSWORD

LANDINGS = [
    (Role.LEADER, "/dashboard/"),
    (Role.DISPATCHER, "/console/"),
    (Role.OFFICER, "/workbench/"),
    (Role.DEPT_HEAD, "/workbench/"),
    (Role.GRID_WORKER, "/m/"),
    (Role.ADMIN, "/admin/"),
]


def test_login_page_is_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "吉首市网格化社会服务管理中心" in html
    assert 'href="/find/">查找我的网格员</a>' in html


def test_the_language_switch_turns_the_page_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html and "登录" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_chinese(client, db):
    client.cookies["django_language"] = "fr"
    assert '<html lang="zh-hans">' in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize(("role", "landing"), LANDINGS)
def test_each_role_lands_on_its_own_page_after_signing_in(client, make_user, role, landing):
    make_user("someone", role, is_staff=role is Role.ADMIN)
    response = client.post("/accounts/login/", {"username": "someone", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("role", "path", "menu_zh", "menu_en"),
    [
        (Role.LEADER, "/dashboard/", "指挥大屏", "Wall screen"),
        (Role.DISPATCHER, "/console/", "指挥调度台", "Dispatch console"),
        (Role.OFFICER, "/workbench/", "部门工作台", "Department workbench"),
        (Role.GRID_WORKER, "/m/", "我的网格", "My grid"),
    ],
)
def test_landing_pages_speak_both_languages(client, make_user, role, path, menu_zh, menu_en, language):
    client.force_login(make_user("someone", role, last_name="张", first_name="三"))
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert (menu_zh if language == "zh-hans" else menu_en) in html
    assert "张三" in html


@pytest.mark.parametrize(
    ("role", "forbidden"),
    [
        (Role.GRID_WORKER, ["/console/", "/dashboard/", "/workbench/"]),
        (Role.OFFICER, ["/console/", "/dashboard/", "/m/"]),
        (Role.DISPATCHER, ["/workbench/", "/m/"]),
        (Role.LEADER, ["/workbench/", "/m/"]),
    ],
)
def test_a_role_cannot_open_another_roles_pages(client, make_user, role, forbidden):
    client.force_login(make_user("someone", role))
    for path in forbidden:
        assert client.get(path).status_code == 403, path


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    for path in ["/", "/console/", "/dashboard/", "/workbench/", "/m/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_a_user_without_a_role_is_told_so(client, make_user):
    client.force_login(make_user("norole"))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("no-role")
    assert "还没有角色" in response.content.decode()


def test_a_wrong_password_shows_a_form_error_in_chinese(client, make_user):
    make_user("someone", Role.DISPATCHER)
    response = client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_that_address(client, make_user, settings):
    make_user("someone", Role.DISPATCHER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "someone", "password": PASSWORD})
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    assert "密码错误次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    make_user("other", Role.DISPATCHER)
    assert client.post("/accounts/login/", {"username": "other", "password": PASSWORD}).status_code == 302


def test_passwords_are_hashed_with_argon2(make_user):
    assert make_user("someone").password.startswith("argon2")


def test_logout_needs_a_post(client, make_user):
    client.force_login(make_user("someone", Role.DISPATCHER))
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
