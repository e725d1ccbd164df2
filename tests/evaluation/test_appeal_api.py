"""Appeals in the API (/api/v1/evaluation/appeals/): who reads and does what, bad input, two leaders
at once, the version an upheld appeal publishes; and the shape in the OpenAPI schema."""

from __future__ import annotations

import json

import pytest

from accounts.roles import Role
from evaluation.choices import AppealState
from evaluation.models import Appeal, Publication
from evaluation.services import appeals, publishing
from tests.evaluation.month import NOVEMBER
from tests.incidents.test_concurrency import at_once

pytestmark = pytest.mark.usefixtures("isolated_cache")

URL = "/api/v1/evaluation/appeals/"
APPEAL_KEYS = {
    "id",
    "period",
    "department",
    "department_name",
    "figure",
    "figure_display",
    "case",
    "tracking_no",
    "round_no",
    "version",
    "reason",
    "evidence",
    "appealed_by",
    "appealed_at",
    "state",
    "state_display",
    "decided_by",
    "decided_at",
    "decision_note",
    "result_version",
}


@pytest.fixture
def published(november):
    """November published now: its five working days for appeals are still to come."""
    publishing.publish(NOVEMBER)
    return november


def client_for(api_as, api_client, user):
    return api_client if user is None else api_as(user)


def body(cases, **fields):
    return {
        "period": "2026-11",
        "figure": "overdue_open",
        "case": cases["overdue"].pk,
        "reason": "施工方原因",
        **fields,
    }


def appeal_of(city, cases):
    return appeals.appeal(
        city.head_lead, NOVEMBER, figure="overdue_open", case=cases["overdue"].pk, reason="施工方原因"
    )


# --- appeal ----------------------------------------------------------------------------------------------------


def test_a_head_appeals(published, november_cases, api_as):
    response = api_as(published.head_lead).post(URL, body(november_cases, evidence="报备函"), format="json")

    assert response.status_code == 201, response.content
    made = response.json()
    assert set(made) == APPEAL_KEYS
    assert {k: made[k] for k in ("period", "department", "figure", "case", "round_no", "version", "state")} == {
        "period": "2026-11",
        "department": "CGJ",
        "figure": "overdue_open",
        "case": november_cases["overdue"].pk,
        "round_no": 1,
        "version": 1,
        "state": "pending",
    }
    assert (made["appealed_by"], made["evidence"], made["state_display"]) == ("t-head-cgj", "报备函", "待裁决")
    assert made["tracking_no"] == november_cases["overdue"].tracking_no and made["result_version"] is None
    assert Appeal.objects.get().pk == made["id"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reason": ""}, "reason", "请填写申诉理由。"),
        ({"case": "x"}, "case", None),
        ({"case": None}, "case", None),
        ({"round_no": 0}, "round_no", None),
        ({"round_no": 5}, "case", "该案件未计入本月此项指标。"),
        ({"figure": "due"}, "figure", "只能对推诿、超期未处置和返工事项提出申诉。"),
        ({"figure": "shirked"}, "case", "该案件未计入本月此项指标。"),  # the overdue case did not shirk
        ({"period": "2026-13"}, "period", "没有这个月份。"),
        ({"period": "2099-01"}, "period", "这个月份尚未开始。"),
        ({"period": "2026-10"}, "period", "该月考核尚未发布，无可申诉事项。"),
        ({"reason": "长" * 2001}, "reason", None),
    ],
)
def test_bad_input_is_a_400_with_the_fields_message(published, november_cases, api_as, fields, field, message):
    response = api_as(published.head_lead).post(URL, body(november_cases, **fields), format="json")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    if message:
        assert response.json()[field] == [message]
    assert not Appeal.objects.exists()


def test_missing_fields_are_named(published, api_as):
    response = api_as(published.head_lead).post(URL, {}, format="json")
    assert response.status_code == 400 and {"period", "figure", "case"} <= set(response.json())


def test_an_item_is_appealed_once(published, november_cases, api_as):
    client = api_as(published.head_lead)
    assert client.post(URL, body(november_cases), format="json").status_code == 201
    response = client.post(URL, body(november_cases), format="json")
    assert response.status_code == 409 and response.json() == {"detail": "该事项已提出过申诉。", "code": "conflict"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("worker", 403),
        ("officer", 403),
        ("other_head", 403),
        ("dispatcher", 403),
        ("leader", 403),
        ("admin", 403),
    ],
)
def test_only_the_departments_head_appeals(published, november_cases, personas, api_as, api_client, persona, status):
    response = client_for(api_as, api_client, personas[persona]).post(URL, body(november_cases), format="json")
    assert response.status_code == status, response.content
    assert not Appeal.objects.exists()


# --- read ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "count"),
    [
        ("anonymous", 401, None),
        ("nobody", 403, None),
        ("worker", 403, None),
        ("officer", 403, None),
        ("head", 200, 1),
        ("other_head", 200, 0),
        ("dispatcher", 200, 1),
        ("leader", 200, 1),
        ("admin", 200, 1),
    ],
)
def test_who_reads_the_appeals(published, november_cases, personas, api_as, api_client, persona, status, count):
    appeal = appeal_of(published, november_cases)
    client = client_for(api_as, api_client, personas[persona])
    listed = client.get(URL)
    assert listed.status_code == status
    one = client.get(f"{URL}{appeal.pk}/")
    if count is None:
        assert one.status_code == status
        return
    assert len(listed.json()) == count
    assert one.status_code == (200 if count else 404)
    if count:
        assert one.json()["id"] == appeal.pk and set(one.json()) == APPEAL_KEYS


def test_the_list_filters_by_month_and_state(published, november_cases, api_as):
    appeal_of(published, november_cases)
    client = api_as(published.leader)
    assert len(client.get(URL, {"period": "2026-11", "state": "pending"}).json()) == 1
    assert client.get(URL, {"period": "2026-10"}).json() == []
    assert client.get(URL, {"state": "upheld"}).json() == []
    bad_state = client.get(URL, {"state": "maybe"})
    assert bad_state.status_code == 400 and "state" in bad_state.json()
    bad_month = client.get(URL, {"period": "November"})
    assert bad_month.status_code == 400 and bad_month.json() == {"period": ["请按 YYYY-MM 格式填写月份。"]}
    assert client.get(f"{URL}999999/").status_code == 404


# --- decide ----------------------------------------------------------------------------------------------------


def test_an_upheld_appeal_makes_version_2_and_version_1_stays(published, november_cases, api_as):
    appeal = appeal_of(published, november_cases)
    client = api_as(published.leader)

    response = client.post(f"{URL}{appeal.pk}/decision/", {"uphold": True, "note": "报备属实"}, format="json")

    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["state"], decided["decided_by"], decided["decision_note"], decided["result_version"]) == (
        "upheld",
        "t-leader",
        "报备属实",
        2,
    )
    rows = "/api/v1/evaluation/2026-11/departments/"
    cgj = lambda url: next(row for row in client.get(url).json() if row["key"] == "CGJ")  # noqa: E731
    assert cgj(rows)["overdue_open"] == 0 and cgj(f"{rows}?version=2")["overdue_open"] == 0
    assert cgj(f"{rows}?version=1")["overdue_open"] == 1
    assert cgj(f"{rows}?version=2")["score"] > cgj(f"{rows}?version=1")["score"]
    periods = client.get("/api/v1/evaluation/periods/").json()
    assert {"period": "2026-11", "state": "published", "version": 2} in periods
    rounds = f"{rows}CGJ/rounds/"
    assert client.get(rounds, {"figure": "overdue_open", "version": 2}).json() == []
    assert len(client.get(rounds, {"figure": "overdue_open", "version": 1}).json()) == 1


def test_a_dismissed_appeal_publishes_nothing(published, november_cases, api_as):
    appeal = appeal_of(published, november_cases)
    response = api_as(published.admin).post(
        f"{URL}{appeal.pk}/decision/", {"uphold": False, "note": "无"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "dismissed"
    assert response.json()["result_version"] is None and Publication.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"uphold": True, "note": ""}, "note"), ({"uphold": "maybe", "note": "是"}, "uphold"), ({"note": "是"}, "uphold")],
)
def test_a_bad_decision_is_a_400(published, november_cases, api_as, data, field):
    appeal = appeal_of(published, november_cases)
    response = api_as(published.leader).post(f"{URL}{appeal.pk}/decision/", data, format="json")
    assert response.status_code == 400 and field in response.json()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("worker", 403),
        ("officer", 403),
        ("head", 403),
        ("other_head", 403),
        ("dispatcher", 403),
    ],
)
def test_only_a_leader_decides(published, november_cases, personas, api_as, api_client, persona, status):
    appeal = appeal_of(published, november_cases)
    client = client_for(api_as, api_client, personas[persona])
    response = client.post(f"{URL}{appeal.pk}/decision/", {"uphold": True, "note": "成立"}, format="json")
    assert response.status_code == status
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING


def test_deciding_twice_or_no_such_appeal(published, november_cases, api_as):
    appeal = appeal_of(published, november_cases)
    client = api_as(published.leader)
    assert client.post(f"{URL}{appeal.pk}/decision/", {"uphold": False, "note": "否"}, format="json").status_code == 200
    again = client.post(f"{URL}{appeal.pk}/decision/", {"uphold": True, "note": "是"}, format="json")
    assert again.status_code == 409 and again.json() == {"detail": "该申诉已裁决。", "code": "conflict"}
    assert client.post(f"{URL}999999/decision/", {"uphold": True, "note": "是"}, format="json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_leaders_deciding_at_once_one_200_one_409(published, november_cases, api_as, make_user):
    appeal = appeal_of(published, november_cases)
    first, second = api_as(published.leader), api_as(make_user("t-leader2", Role.LEADER))
    url = f"{URL}{appeal.pk}/decision/"

    responses = at_once(
        lambda: first.post(url, {"uphold": True, "note": "成立"}, format="json"),
        lambda: second.post(url, {"uphold": False, "note": "不成立"}, format="json"),
    )

    assert sorted(getattr(response, "status_code", response) for response in responses) == [200, 409], responses
    conflict = next(response for response in responses if response.status_code == 409)
    assert conflict.json()["code"] == "conflict"
    appeal.refresh_from_db()
    upheld = appeal.state == AppealState.UPHELD
    assert Publication.objects.filter(period="2026-11").count() == (2 if upheld else 1)


def test_the_schema_documents_the_appeals(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in [
        "/api/v1/evaluation/appeals/",
        "/api/v1/evaluation/appeals/{id}/",
        "/api/v1/evaluation/appeals/{id}/decision/",
        "/api/v1/evaluation/scheme/",
    ]:
        assert path in schema["paths"]
    decision = schema["paths"]["/api/v1/evaluation/appeals/{id}/decision/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(decision["responses"])
    text = json.dumps(schema, ensure_ascii=False)
    assert "result_version" in text and "报备属实" in text and "该申诉已裁决。" in text
