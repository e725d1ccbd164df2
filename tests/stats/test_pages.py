"""/stats/: who may open it, what it shows, where its numbers lead."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.stats.conftest import END, START

pytestmark = pytest.mark.usefixtures("isolated_cache")
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


def count_links(page: str) -> list[tuple[str, str]]:
    return [
        (unescape(href), text) for href, text in re.findall(r'class="[^"]*case-count[^"]*" href="([^"]+)">(\d+)<', page)
    ]


def test_the_leader_reads_the_page_in_chinese_and_every_number_leads_to_its_cases(city, mixed, client):
    client.force_login(city.leader)
    response = client.get("/stats/", {**PERIOD, "by": "township"})
    page = response.content.decode()
    assert response.status_code == 200
    for words in ("统计分析", "分类统计", "环比", "同比", "高发网格", "重复上报地址", "案件热力图", "时段 × 星期"):
        assert words in page
    assert "<script>" not in page and "style=" not in page
    links = count_links(page)
    assert links
    client.force_login(city.dispatcher)  # the console's case list is the centre's
    for href, text in links:
        assert href.startswith("/console/cases/?")
        listed = client.get(href)
        assert listed.status_code == 200
        assert len(set(re.findall(r"JS\d{8}-\d{4}", listed.content.decode()))) == int(text), href


def test_a_department_sees_its_own_figures_without_links_to_the_centres_list(city, mixed, client):
    from incidents.models import Case

    client.force_login(city.officer_lead)
    page = client.get("/stats/", {**PERIOD, "by": "status"}).content.decode()
    total = Case.objects.visible_to(city.officer_lead).count()
    assert re.search(rf'figure-received.*?<span class="figure-count">{total}</span>', page, re.S)
    assert "/console/cases/" not in page


@pytest.mark.parametrize("persona", ["worker_a", "nobody"])
def test_grid_workers_and_people_without_a_role_are_refused(city, client, persona):
    client.force_login(getattr(city, persona))
    assert client.get("/stats/").status_code == 403


def test_anonymous_goes_to_sign_in(client, db):
    assert client.get("/stats/").status_code == 302


def test_a_bad_period_shows_its_message(city, client):
    client.force_login(city.leader)
    response = client.get("/stats/", {"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 400 and "结束日期早于开始日期" in response.content.decode()
    response = client.get("/stats/", {"by": "colour"})
    assert response.status_code == 400 and "未知的统计维度 colour" in response.content.decode()
