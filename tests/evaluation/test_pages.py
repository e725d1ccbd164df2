"""The evaluation's pages: a month's tables and trend, the rounds behind a figure, who sees what, bad addresses."""

from __future__ import annotations

import json
import re

import pytest

from incidents.models import Case

pytestmark = pytest.mark.usefixtures("isolated_cache")
NOV = "/evaluation/2026-11/"


def page(client, user, url=NOV, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def table(html: str, subject: str) -> str:
    match = re.search(rf'<table class="cases evaluation-table" data-subject="{subject}">(.*?)</table>', html, re.S)
    return match.group(1) if match else ""


def test_a_leader_reads_the_month(november, client):
    html = page(client, november.leader)
    assert "考核评价 · 2026-11" in html and '<option value="2026-11" selected>' in html
    assert "暂定（月中实时）" in html  # provisional until published
    departments = table(html, "departments")
    for header in ("排名", "编码", "名称", "得分", "等级", "应处置", "超期未处置", "推诿", "按期处置率", "满意率"):
        assert f"<th>{header}</th>" in departments, header
    # CGJ ranks first, its score in the red band's colour, each figure a link to its rounds.
    first = departments.split("<tbody>")[1].split("</tr>")[0]
    assert '<td class="rank">1</td>' in first and november.lead.name in first
    assert 'data-bg="#f56c6c"' in first and "需整改" in first
    assert 'href="/evaluation/2026-11/departments/CGJ/overdue_open/">1</a>' in first
    assert "66.7%" in first  # on-time rate 4/6
    assert "无案件" in departments  # the departments without due rounds
    assert "t-officer-cgj" in table(html, "officers") and "433101901" in table(html, "townships")


def test_the_trend_of_the_last_months(november, client):
    html = page(client, november.leader)
    assert 'id="trend-chart"' in html and "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    data = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert data["months"] == ["2026-11"]
    assert [line["key"] for line in data["series"]] == ["CGJ"] and data["series"][0]["data"][0] < 80
    december = page(client, november.leader, "/evaluation/2026-12/")
    data = json.loads(re.search(r'<script id="trend-data" type="application/json">(.*?)</script>', december, re.S)[1])
    assert data["months"] == ["2026-11", "2026-12"]


def test_a_figure_opens_its_rounds_and_each_round_its_case(november, client):
    html = page(client, november.leader, "/evaluation/2026-11/departments/CGJ/due/")
    cases = re.findall(r'href="/console/cases/(\d+)/"', html)
    assert len(cases) == 6
    assert {c.tracking_no for c in Case.objects.filter(pk__in=cases)} <= set(re.findall(r">(JS[\d-]+)<", html))
    overdue = page(client, november.leader, "/evaluation/2026-11/departments/CGJ/overdue_open/")
    assert "未处置" in overdue and 'class="overdue"' in overdue
    # A department head follows the same figure to the workbench.
    head = page(client, november.head_lead, "/evaluation/2026-11/departments/CGJ/due/")
    assert len(re.findall(r'href="/workbench/cases/\d+/"', head)) == 6


def test_the_month_picker_and_this_month(november, client):
    assert "考核评价 · 2026-11" in page(client, november.leader, "/evaluation/?period=2026-11")
    html = page(client, november.leader, "/evaluation/")
    assert '<option value="2026-12" selected>' in html and '<option value="2026-11">' in html


# --- who sees what ----------------------------------------------------------------------------------------


def test_a_department_head_sees_the_department_and_its_officers(november, client):
    html = page(client, november.head_lead)
    assert table(html, "departments").count("<tr>") == 2  # the header and CGJ
    officers = table(html, "officers")
    assert "t-officer-cgj" in officers and "t-head-cgj" in officers and "t-officer-gaj" not in officers
    assert 'data-subject="townships"' not in html


def test_an_officer_sees_their_own_row(november, client):
    html = page(client, november.officer_lead)
    assert 'data-subject="departments"' not in html and 'data-subject="townships"' not in html
    assert "trend-chart" not in html
    officers = table(html, "officers")
    assert officers.count("<tr>") == 2 and "t-officer-cgj" in officers


@pytest.mark.parametrize(
    ("persona", "month", "rounds"),
    [
        ("anonymous", 302, 302),
        ("nobody", 403, 403),
        ("worker", 200, 403),  # their own row; no department's rounds
        ("officer", 200, 403),
        ("head", 200, 200),
        ("other_head", 200, 404),
        ("dispatcher", 200, 200),
        ("leader", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_who_may_open_the_pages(november, personas, client, persona, month, rounds):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    assert client.get(NOV).status_code == month
    assert client.get(f"{NOV}departments/CGJ/due/").status_code == rounds


def test_the_menus_lead_to_the_evaluation(november, client):
    assert 'href="/evaluation/"' in page(client, november.dispatcher, "/console/")
    assert 'href="/evaluation/"' in page(client, november.head_lead, "/workbench/")


# --- bad addresses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/evaluation/2026-13/", 400, "没有这个月份。"),
        ("/evaluation/2099-01/", 400, "这个月份尚未开始。"),
        ("/evaluation/last-month/", 400, "请按 YYYY-MM 格式填写月份。"),
        ("/evaluation/?period=2026-1", 400, "请按 YYYY-MM 格式填写月份。"),
        ("/evaluation/2026-11/?version=x", 400, "版本号须为从 1 开始的整数。"),
        ("/evaluation/2026-11/?version=3", 404, ""),
        ("/evaluation/2099-01/departments/CGJ/due/", 400, "这个月份尚未开始。"),
        ("/evaluation/2026-11/departments/CGJ/nonsense/", 400, "该指标没有对应的承办轮次。"),
        ("/evaluation/2026-11/planets/CGJ/due/", 404, ""),
        ("/evaluation/2026-11/departments/NOPE/due/", 404, ""),
    ],
)
def test_a_bad_address_is_a_page_with_a_message(november, client, url, status, message):
    html = page(client, november.leader, url, status)
    assert message in html
    if status == 400:
        assert 'href="/evaluation/"' in html


def test_the_page_takes_a_bounded_number_of_queries(november, client, django_assert_max_num_queries):
    client.force_login(november.leader)
    client.get(NOV)
    # Per table (seven for the centre): whether the month is published, the scheme in force,
    # the figures, the subjects; and the trend's months.
    with django_assert_max_num_queries(50):
        assert client.get(NOV).status_code == 200
    client.force_login(november.head_lead)
    with django_assert_max_num_queries(26):
        assert client.get(NOV).status_code == 200
