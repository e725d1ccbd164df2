"""我的考核 on the phone (/m/evaluation/): a grid worker sees their own month, and only theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.periods import period_of
from incidents import services

URL = "/m/evaluation/"


@pytest.fixture
def last_month(city):
    """Worker ``a`` reported two cases on the 2nd of last month, one rejected; ``b`` one."""
    previous = period_of(timezone.now()).previous()
    when = previous.start + timedelta(days=1, hours=9)
    city.report(now=when)
    services.reject_case(city.dispatcher, city.report(now=when), reason="不属实", now=when + timedelta(hours=1))
    city.report(city.workers["b"], now=when)
    return previous


@pytest.mark.django_db
def test_a_grid_worker_sees_their_own_month_and_the_one_before_in_chinese(client, city, last_month):
    client.force_login(city.workers["a"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "我的考核" in html and "暂定" in html
    current, previous = response.context["months"]
    assert (current["period"], previous["period"]) == (last_month.next(), last_month)
    assert f"{last_month.year}年{last_month.month}月" in html
    mine = previous["row"]
    assert mine["key"] == city.workers["a"].username and (mine["reports"], mine["valid_reports"]) == (2, 1)
    assert ("有效上报率", "50.0%") in previous["rates"] and ("上报", 2) in previous["counts"]
    assert previous["score"] is not None and previous["band"] in ("优秀", "良好", "需整改")
    assert "巡查达标率" in html and "按时核查率" in html


@pytest.mark.django_db
def test_only_the_workers_own_row_is_on_the_page(client, city, last_month):
    client.force_login(city.workers["a"])
    response = client.get(URL)
    rows = [month["row"] for month in response.context["months"]]
    assert {row["key"] for row in rows} == {city.workers["a"].username}
    assert city.workers["b"].username not in response.content.decode()


@pytest.mark.django_db
def test_someone_without_a_worker_row_sees_that_there_is_none(client, city, admin_user):
    client.force_login(admin_user)
    html = client.get(URL).content.decode()
    assert "本月没有您的考核数据" in html


@pytest.mark.parametrize("persona", ["dispatcher", "officer", "leader"])
@pytest.mark.django_db
def test_the_page_is_for_grid_workers(client, city, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_the_home_page_links_here(client, city):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(city.workers["a"])
    assert f'href="{URL}"' in client.get("/m/").content.decode()
