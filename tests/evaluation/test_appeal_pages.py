"""Appeals in the pages: a head appeals a round from the rounds page, the appeals page lists them,
a leader decides there; who may do what; every bad input a message on the page, never a 500."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from evaluation.choices import AppealState
from evaluation.models import Appeal, Publication
from evaluation.services import appeals, publishing
from tests.evaluation.month import NOVEMBER

pytestmark = pytest.mark.usefixtures("isolated_cache")

OVERDUE = "/evaluation/2026-11/departments/CGJ/overdue_open/"
APPEAL = f"{OVERDUE}appeal/"
APPEALS = "/evaluation/appeals/"


@pytest.fixture
def published(november):
    """November published now: its five working days for appeals are still to come."""
    publishing.publish(NOVEMBER)
    return november


def get(client, user, url, status=200) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:800]
    return response.content.decode()


def post(client, user, url, data, status) -> str:
    if user is not None:
        client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:800]
    return response.content.decode()


def appeal_of(city, cases, **fields):
    fields.setdefault("reason", "施工方原因,已书面报备")
    return appeals.appeal(city.head_lead, NOVEMBER, figure="overdue_open", case=cases["overdue"].pk, **fields)


# --- the head appeals from the rounds page -------------------------------------------------------------------


def test_the_head_appeals_a_round_and_sees_its_state(published, november_cases, client):
    html = get(client, published.head_lead, OVERDUE)
    assert f'action="{APPEAL}"' in html and "前（本月考核发布后 5 个工作日内）" in html
    case = november_cases["overdue"].pk

    response = client.post(APPEAL, {"case": case, "round_no": 1, "reason": "施工方原因", "evidence": "报备函"})

    assert response.status_code == 302 and response["Location"] == OVERDUE
    appeal = Appeal.objects.get()
    assert (appeal.case_id, appeal.reason, appeal.evidence, appeal.appealed_by) == (
        case,
        "施工方原因",
        "报备函",
        published.head_lead,
    )
    html = get(client, None, OVERDUE)
    assert f"申诉 {appeal.pk} 已提交" in html and "待裁决" in html and f'action="{APPEAL}"' not in html


@pytest.mark.parametrize("figure", ["shirked", "rework"])
def test_each_appealable_figure_offers_the_form(published, client, figure):
    html = get(client, published.head_lead, f"/evaluation/2026-11/departments/CGJ/{figure}/")
    assert f'action="/evaluation/2026-11/departments/CGJ/{figure}/appeal/"' in html


def test_no_form_where_there_is_nothing_to_appeal(published, november, client):
    # Not an appealable figure; an older version than the newest; someone other than the head.
    assert "appeal-form" not in get(client, published.head_lead, "/evaluation/2026-11/departments/CGJ/due/")
    assert "appeal-form" not in get(client, published.leader, OVERDUE)
    assert "appeal-form" not in get(client, published.dispatcher, OVERDUE)


def test_no_form_before_publication_nor_after_the_window(november, client):
    assert "appeal-form" not in get(client, november.head_lead, OVERDUE)  # provisional
    first = publishing.publish(NOVEMBER)
    Publication.objects.filter(pk=first.pk).update(published_at=first.published_at - timedelta(days=30))
    html = get(client, november.head_lead, OVERDUE)
    assert "appeal-form" not in html and "本月考核的申诉期已于" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "  "}, "请填写申诉理由。"),
        ({"case": "on_time"}, "该案件未计入本月此项指标。"),
        ({"case": "x"}, "输入整数。"),
        ({"round_no": 7}, "该案件未计入本月此项指标。"),
        ({"reason": "长" * 2001}, "2000"),
    ],
)
def test_bad_input_is_a_message_on_the_page(published, november_cases, client, data, message):
    fields = {"case": november_cases["overdue"].pk, "round_no": 1, "reason": "施工方原因", **data}
    if fields["case"] == "on_time":
        fields["case"] = november_cases["on_time"].pk
    html = post(client, published.head_lead, APPEAL, fields, 400)
    assert message in html
    assert 'class="form-errors appeal-errors"' in html and not Appeal.objects.exists()


def test_an_unappealable_figure_and_an_appeal_made_twice(published, november_cases, client):
    case = november_cases["overdue"].pk
    html = post(
        client,
        published.head_lead,
        "/evaluation/2026-11/departments/CGJ/due/appeal/",
        {"case": case, "reason": "一"},
        400,
    )
    assert "只能对推诿、超期未处置和返工事项提出申诉。" in html
    post(client, published.head_lead, APPEAL, {"case": case, "reason": "一"}, 302)
    html = post(client, published.head_lead, APPEAL, {"case": case, "reason": "二"}, 409)
    assert "该事项已提出过申诉。" in html and Appeal.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),  # to sign in
        ("nobody", 403),
        ("worker", 403),
        ("officer", 403),  # an officer of CGJ who is not its head
        ("other_head", 404),  # CGJ's rounds are not theirs to read
        ("dispatcher", 403),
        ("leader", 403),
        ("admin", 403),
    ],
)
def test_only_the_departments_head_appeals(published, november_cases, personas, client, persona, status):
    post(client, personas[persona], APPEAL, {"case": november_cases["overdue"].pk, "reason": "理由"}, status)
    assert not Appeal.objects.exists()


def test_a_month_that_is_not_published_cannot_be_appealed(november, november_cases, client):
    html = post(client, november.head_lead, APPEAL, {"case": november_cases["overdue"].pk, "reason": "理由"}, 400)
    assert "该月考核尚未发布，无可申诉事项。" in html
    assert not Appeal.objects.exists()


# --- the appeals page and the decision ----------------------------------------------------------------------


def test_a_leader_upholds_and_the_month_has_a_version_2(published, november_cases, client):
    appeal = appeal_of(published, november_cases, evidence="报备函 2026-11-05")
    html = get(client, published.leader, APPEALS)
    assert f'id="appeal-{appeal.pk}"' in html and "施工方原因" in html and "报备函 2026-11-05" in html
    assert f'action="/evaluation/appeals/{appeal.pk}/decision/"' in html

    response = client.post(f"{APPEALS}{appeal.pk}/decision/", {"decision": "uphold", "note": "报备属实"})

    assert response.status_code == 302 and response["Location"] == f"{APPEALS}?period=2026-11"
    html = get(client, None, response["Location"])
    assert "已重新发布为第 2 版" in html and "申诉成立" in html and "报备属实" in html
    assert 'href="/evaluation/2026-11/?version=2"' in html and "decision-form" not in html
    # The month reads version 2 by default, version 1 on asking; both are on record with their reasons.
    month = get(client, None, "/evaluation/2026-11/")
    assert 'href="/evaluation/2026-11/departments/CGJ/overdue_open/"' not in month  # 0: no link
    assert "本月已发布的版本" in month and "报备属实" in month and "每月自动发布" in month
    older = get(client, None, "/evaluation/2026-11/?version=1")
    assert 'href="/evaluation/2026-11/departments/CGJ/overdue_open/?version=1">1</a>' in older
    # On the rounds page the appeal shows what it led to.
    rounds = get(client, None, f"{OVERDUE}?version=1")
    assert "申诉成立" in rounds and 'href="/evaluation/2026-11/?version=2"' in rounds


def test_a_leader_dismisses(published, november_cases, client):
    appeal = appeal_of(published, november_cases)
    post(client, published.admin, f"{APPEALS}{appeal.pk}/decision/", {"decision": "dismiss", "note": "无材料"}, 302)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.DISMISSED and appeal.decided_by == published.admin
    assert Publication.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"decision": "uphold", "note": ""}, 400, "请填写裁决理由。"),
        ({"decision": "maybe", "note": "理由"}, 400, "选择一个有效的选项"),
        ({"note": "理由"}, 400, "该字段是必填项。"),
    ],
)
def test_a_bad_decision_is_a_message_on_the_page(published, november_cases, client, data, status, message):
    appeal = appeal_of(published, november_cases)
    html = post(client, published.leader, f"{APPEALS}{appeal.pk}/decision/", data, status)
    assert message in html and "decision-form" in html
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING


def test_an_appeal_decided_already_is_a_conflict_on_the_page(published, november_cases, client, make_user):
    appeal = appeal_of(published, november_cases)
    appeals.dismiss_appeal(published.admin, appeal, note="不成立")
    html = post(
        client, published.leader, f"{APPEALS}{appeal.pk}/decision/", {"decision": "uphold", "note": "成立"}, 409
    )
    assert "该申诉已裁决。" in html and "申诉不成立" in html
    assert Publication.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("nobody", 403),
        ("worker", 403),
        ("officer", 403),
        ("head", 403),  # reads it, may not decide
        ("other_head", 404),
        ("dispatcher", 403),
    ],
)
def test_only_a_leader_decides(published, november_cases, personas, client, persona, status):
    appeal = appeal_of(published, november_cases)
    post(client, personas[persona], f"{APPEALS}{appeal.pk}/decision/", {"decision": "uphold", "note": "成立"}, status)
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING


def test_an_unknown_appeal_is_a_404(published, client):
    post(client, published.leader, f"{APPEALS}999999/decision/", {"decision": "uphold", "note": "成立"}, 404)


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("anonymous", 302, False),
        ("nobody", 403, False),
        ("worker", 403, False),
        ("officer", 403, False),
        ("head", 200, True),
        ("other_head", 200, False),
        ("dispatcher", 200, True),
        ("leader", 200, True),
        ("admin", 200, True),
    ],
)
def test_who_reads_the_appeals(published, november_cases, personas, client, persona, status, sees):
    appeal = appeal_of(published, november_cases)
    html = get(client, personas[persona], APPEALS, status)
    assert (f'id="appeal-{appeal.pk}"' in html) is sees
    assert ("decision-form" in html) is (persona in ("leader", "admin"))


def test_the_appeals_page_filters_by_month_and_state(published, november_cases, client):
    appeal = appeal_of(published, november_cases)
    client.force_login(published.leader)
    assert f'id="appeal-{appeal.pk}"' in get(client, None, f"{APPEALS}?period=2026-11&state=pending")
    assert f'id="appeal-{appeal.pk}"' not in get(client, None, f"{APPEALS}?period=2026-10")
    assert f'id="appeal-{appeal.pk}"' not in get(client, None, f"{APPEALS}?state=upheld")
    assert "请按 YYYY-MM 格式填写月份。" in get(client, None, f"{APPEALS}?period=2026-13x", 400)
    assert "没有这种申诉状态。" in get(client, None, f"{APPEALS}?state=maybe", 400)


def test_the_month_links_to_the_appeals_with_the_pending_count(published, november_cases, client):
    appeal_of(published, november_cases)
    html = get(client, published.leader, "/evaluation/2026-11/")
    link = re.search(r'<a href="/evaluation/appeals/" id="appeals-link">(.*?)</a>', html, re.S)
    assert link and "1 件待裁决" in link[1]
    assert 'id="scheme-link"' in html
    head = get(client, published.head_lead, "/evaluation/2026-11/")
    assert 'id="appeals-link"' in head and "待裁决" not in head and 'id="scheme-link"' not in head
    officer = get(client, published.officer_lead, "/evaluation/2026-11/")
    assert 'id="appeals-link"' not in officer
