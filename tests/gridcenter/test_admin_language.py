"""The admin in Chinese, third-party sections included."""

from __future__ import annotations


def test_the_lockout_section_is_named_in_chinese(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert "登录锁定" in html and ">Axes<" not in html
    assert "Access attempts" not in html and "Access failures" not in html and "Access logs" not in html
    assert "登录尝试" in html and "登录失败" in html and "登录日志" in html
    html = client.get("/admin/axes/").content.decode()
    assert "登录锁定" in html and "Axes" not in html.split("<body", 1)[1]
