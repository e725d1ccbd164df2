"""More time (延期) and on hold (挂账): the flows, who may, bad input, and the figures; their
API endpoints and the buttons of the workbench and the console; urged cases first."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client

from dashboard.sla import overdue_cases
from dashboard.snapshot import build_snapshot
from incidents import services
from incidents.choices import CaseAction, CaseStatus, SlaLevel, SlaRequestKind, SlaRequestStatus
from incidents.exceptions import CasePermissionDenied, CaseValidationError, InvalidTransition
from incidents.models import Case, SlaRequest
from incidents.services import sla
from incidents.services.sweep import sweep
from tests.city import TZ
from worktime import calendar

FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
MONDAY = datetime(2026, 11, 30, tzinfo=TZ)
URL = "/api/v1/incidents/"


def dispatched(city, now: datetime = FRIDAY_16) -> Case:
    return services.dispatch_case(
        city.dispatcher, city.report(now=now), department=city.lead, assisting=[city.assisting], now=now
    )


def actions(case: Case) -> list[str]:
    return list(case.events.order_by("id").values_list("action", flat=True))


# --- more time ------------------------------------------------------------------------------------


def test_more_time_asked_as_an_amount_and_granted_moves_the_deadline_and_starts_a_new_round(city):
    case = dispatched(city)
    old_deadline = case.deadline  # Monday 10:30
    request = services.request_extension(
        city.officer_lead, case, reason="需协调环卫车辆", extra_amount=Decimal("2"), now=FRIDAY_16
    )
    assert request.status == SlaRequestStatus.PENDING and request.extra_unit == "working_hours"
    case.refresh_from_db()
    assert case.sla_pending == SlaRequestKind.EXTENSION and case.deadline == old_deadline
    decided = services.decide_extension(city.dispatcher, request, approve=True, note="同意", now=MONDAY.replace(hour=8))
    assert decided.status == SlaRequestStatus.APPROVED and decided.decided_by == city.dispatcher
    case.refresh_from_db()
    # Two working hours after Monday 10:30: 12:00, then 14:30-15:00.
    assert case.deadline == MONDAY.replace(hour=15) == decided.deadline_after
    assert case.sla_pending == "" and case.sla_round == 2 and case.sla_level == SlaLevel.NORMAL
    # The new round's instants count from the dispatch: 80 % of 6 working hours = 4 h 48 min.
    assert case.sla_warning_at == MONDAY.replace(hour=11, minute=18)
    assert case.sla_next_check_at == case.sla_warning_at
    assert actions(case)[-2:] == [CaseAction.EXTENSION_REQUEST, CaseAction.EXTENSION_APPROVE]
    granted = case.events.get(action=CaseAction.EXTENSION_APPROVE)
    assert datetime.fromisoformat(granted.data["deadline"]) == case.deadline
    assert datetime.fromisoformat(granted.data["deadline_before"]) == old_deadline
    # No longer overdue at 10:31; the sweep warns again for the new deadline.
    assert not case.is_overdue(MONDAY.replace(hour=10, minute=31))
    assert sweep(now=MONDAY.replace(hour=11, minute=18)).steps == {"warning": 1}


def test_more_time_asked_until_a_date(city):
    case = dispatched(city)
    until = datetime(2026, 12, 4, 17, 0, tzinfo=TZ)
    services.request_extension(city.head_lead, case, reason="需采购配件", until=until, now=FRIDAY_16)
    services.approve_extension(city.dispatcher, case, now=FRIDAY_16 + timedelta(minutes=5))
    case.refresh_from_db()
    assert case.deadline == until


def test_a_refusal_says_why_and_changes_no_deadline(city):
    case = dispatched(city)
    request = services.request_extension(city.officer_lead, case, reason="人手不足", extra_amount=1, now=FRIDAY_16)
    with pytest.raises(CaseValidationError) as error:
        services.decide_extension(city.dispatcher, request, approve=False, note="")
    assert "note" in error.value.errors
    services.refuse_extension(city.dispatcher, case, note="时限内可完成")
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.status == SlaRequestStatus.REFUSED and request.decision_note == "时限内可完成"
    assert case.sla_pending == "" and case.sla_round == 1
    with pytest.raises(InvalidTransition):  # decided once
        services.decide_extension(city.dispatcher, request, approve=True)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "", "extra_amount": 1}, "reason"),
        ({"reason": "需要时间"}, "until"),  # neither a date nor an amount
        ({"reason": "需要时间", "extra_amount": 1, "until": datetime(2026, 12, 9, tzinfo=TZ)}, "until"),
        ({"reason": "需要时间", "extra_amount": 0}, "extra_amount"),
        ({"reason": "需要时间", "extra_amount": "1.25"}, "extra_amount"),
        ({"reason": "需要时间", "extra_amount": "abc"}, "extra_amount"),
        ({"reason": "需要时间", "extra_amount": 1, "extra_unit": "weeks"}, "extra_unit"),
        ({"reason": "需要时间", "until": datetime(2026, 11, 27, 15, 0, tzinfo=TZ)}, "until"),  # in the past
        ({"reason": "需要时间", "until": datetime(2026, 11, 30, 9, 0, tzinfo=TZ)}, "until"),  # before the deadline
        ({"reason": "需要时间", "until": datetime(2026, 12, 9, 9, 0)}, "until"),  # no time zone  # noqa: DTZ001
    ],
)
def test_bad_requests_for_more_time_change_nothing(city, kwargs, field):
    case = dispatched(city)
    with pytest.raises(CaseValidationError) as error:
        services.request_extension(city.officer_lead, case, now=FRIDAY_16, **kwargs)
    assert field in error.value.errors
    assert not SlaRequest.objects.exists()
    assert Case.objects.get(pk=case.pk).sla_pending == ""


def test_who_may_ask_and_decide(city):
    case = dispatched(city)
    for stranger in (city.officer_assisting, city.dispatcher, city.leader):
        with pytest.raises(CasePermissionDenied):
            services.request_extension(stranger, case, reason="x", extra_amount=1)
    with pytest.raises(services.CaseNotFound):
        services.request_extension(city.officer_unrelated, case, reason="x", extra_amount=1)
    services.request_extension(city.officer_lead, case, reason="需要时间", extra_amount=1)
    with pytest.raises(InvalidTransition):  # one request at a time
        services.request_hold(city.officer_lead, case, reason="暂无法处置")
    for stranger in (city.officer_lead, city.head_lead, city.leader):
        with pytest.raises(CasePermissionDenied):
            services.approve_extension(stranger, case)
    with pytest.raises(InvalidTransition):  # the waiting request is for more time, not a hold
        services.approve_hold(city.dispatcher, case)


def test_a_request_lapses_when_the_department_lets_the_case_go(city):
    case = dispatched(city)
    request = services.request_hold(city.officer_lead, case, reason="暂无法处置")
    services.return_case(city.officer_lead, case, reason="不属于本部门")
    request.refresh_from_db()
    assert request.status == SlaRequestStatus.LAPSED
    assert Case.objects.get(pk=case.pk).sla_pending == ""


def test_no_request_outside_the_departments_time(city):
    for status in (CaseStatus.REPORTED, CaseStatus.RETURNED, CaseStatus.RESOLVED, CaseStatus.CLOSED):
        case = city.case_in(status)
        with pytest.raises((InvalidTransition, CasePermissionDenied, services.CaseNotFound)):
            services.request_extension(city.officer_lead, case, reason="x", extra_amount=1)


# --- on hold --------------------------------------------------------------------------------------


def test_a_parked_case_leaves_the_overdue_figures_and_is_counted_apart(city):
    case = dispatched(city)
    other = dispatched(city)
    late = MONDAY.replace(hour=11)
    assert set(Case.objects.overdue(late).values_list("pk", flat=True)) == {case.pk, other.pk}
    services.request_hold(city.officer_lead, case, reason="需等待道路施工结束", now=late)
    services.approve_hold(city.dispatcher, case, note="同意挂账", now=late)
    case.refresh_from_db()
    assert case.held_since == late and case.sla_next_check_at is None
    assert sla.level_at(case, late) is None and not case.is_overdue(late)
    assert list(Case.objects.overdue(late).values_list("pk", flat=True)) == [other.pk]
    assert list(overdue_cases(late).values_list("pk", flat=True)) == [other.pk]  # the wall screen's rule
    figures = sla.figures(Case.objects.all(), late)
    assert figures["overdue"] == 1 and figures["held"] == 1
    snapshot = build_snapshot(city.leader, now=late)
    assert snapshot["today"]["overdue"] == 1
    assert [row["id"] for row in snapshot["overdue_cases"]] == [other.pk]
    # The sweep leaves it alone.
    sweep(now=late + timedelta(days=3))
    assert not case.sla_escalations.exists()


def test_resume_moves_the_instants_still_ahead_by_the_time_parked(city):
    case = dispatched(city)  # deadline Monday 10:30, warning 09:42
    parked = MONDAY.replace(hour=9)
    services.request_hold(city.officer_lead, case, reason="暂无法处置", now=parked)
    services.approve_hold(city.dispatcher, case, now=parked)
    # Parked Monday 09:00 to Tuesday 09:00: 7 working hours.
    resumed = services.resume_case(city.officer_lead, case, note="施工结束", now=parked + timedelta(days=1))
    tuesday = parked + timedelta(days=1)
    assert resumed.held_since is None
    assert resumed.sla_warning_at == tuesday.replace(hour=9, minute=42)
    assert resumed.deadline == tuesday.replace(hour=10, minute=30)
    assert resumed.sla_escalate_at == tuesday.replace(hour=15)
    assert resumed.sla_next_check_at == resumed.sla_warning_at
    # The clock's start moves on by the 7 working hours too: Friday 16:00 → Monday 16:00.
    assert resumed.sla_started_at == MONDAY.replace(hour=16)
    assert resumed.events.get(action=CaseAction.RESUME).department == city.lead


def test_the_centre_may_resume_and_resolving_a_parked_case_ends_the_hold(city):
    case = dispatched(city)
    services.request_hold(city.officer_lead, case, reason="暂无法处置")
    services.approve_hold(city.dispatcher, case)
    with pytest.raises(CasePermissionDenied):
        services.resume_case(city.officer_assisting, case)
    with pytest.raises(InvalidTransition):  # on hold: no new request
        services.request_extension(city.officer_lead, case, reason="x", extra_amount=1)
    services.start_case(city.officer_lead, case)
    resolved = services.resolve_case(city.officer_lead, case, note="已处理")
    assert resolved.held_since is None
    second = dispatched(city)
    with pytest.raises(InvalidTransition):  # not on hold
        services.resume_case(city.dispatcher, second)
    services.request_hold(city.head_lead, second, reason="暂无法处置")
    services.approve_hold(city.dispatcher, second)
    assert services.resume_case(city.dispatcher, second).held_since is None


def test_a_refused_hold_keeps_the_clock_running(city):
    case = dispatched(city)
    services.request_hold(city.officer_lead, case, reason="暂无法处置")
    services.refuse_hold(city.dispatcher, case, note="请按时处置")
    case.refresh_from_db()
    assert case.held_since is None and case.sla_next_check_at is not None


# --- urging ------------------------------------------------------------------------------------------


def test_urged_cases_come_first_in_the_inbox_and_are_counted(city, client):
    first = dispatched(city, FRIDAY_16)
    second = dispatched(city, FRIDAY_16 + timedelta(hours=1))
    services.urge_case(city.leader, second, note="群众反映强烈")
    client.force_login(city.officer_lead)
    html = client.get("/workbench/").content.decode()
    assert html.index(second.tracking_no) < html.index(first.tracking_no)
    assert sla.figures(Case.objects.all(), FRIDAY_16)["urged"] == 1
    assert Case.objects.get(pk=second.pk).urge_count == 1


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_flow(city, api_as):
    case = dispatched(city, datetime.now(TZ))
    officer, dispatcher = api_as(city.officer_lead), api_as(city.dispatcher)
    answer = officer.post(f"{URL}{case.pk}/extension/", {"reason": "需协调", "extra_amount": "1"}, format="json")
    assert answer.status_code == 200 and answer.json()["sla_pending"] == "extension"
    assert [row["id"] for row in dispatcher.get(f"{URL}?waiting=extension").json()["results"]] == [case.pk]
    assert dispatcher.get(f"{URL}?waiting=hold").json()["count"] == 0
    assert dispatcher.get(f"{URL}?waiting=later").status_code == 400
    assert "ext_approve" in dispatcher.get(f"{URL}{case.pk}/").json()["actions"]
    answer = dispatcher.post(f"{URL}{case.pk}/extension/decision/", {"approve": True}, format="json")
    assert answer.status_code == 200 and answer.json()["sla_round"] == 2
    answer = officer.post(f"{URL}{case.pk}/hold/", {"reason": "暂无法处置"}, format="json")
    assert answer.status_code == 200
    answer = dispatcher.post(f"{URL}{case.pk}/hold/decision/", {"approve": True}, format="json")
    assert answer.status_code == 200 and answer.json()["held_since"] is not None
    assert answer.json()["sla_level"] is None
    held = dispatcher.get(f"{URL}?held=true").json()["results"]
    assert [row["id"] for row in held] == [case.pk]
    assert dispatcher.get(f"{URL}?held=false").json()["count"] == Case.objects.count() - 1
    assert dispatcher.get("/api/v1/stats/sla/").json()["held"] == 1
    answer = officer.post(f"{URL}{case.pk}/resume/", {"note": "恢复"}, format="json")
    assert answer.status_code == 200 and answer.json()["held_since"] is None


def test_the_api_refuses_with_400_403_404_409(city, api_as, api_client):
    case = dispatched(city, datetime.now(TZ))
    officer, dispatcher = api_as(city.officer_lead), api_as(city.dispatcher)
    bad = officer.post(f"{URL}{case.pk}/extension/", {"reason": "需协调"}, format="json")
    assert bad.status_code == 400 and "until" in bad.json()
    bad = officer.post(f"{URL}{case.pk}/extension/", {"reason": "x", "until": "tomorrow"}, format="json")
    assert bad.status_code == 400 and "until" in bad.json()
    assert officer.post(f"{URL}{case.pk}/hold/", {}, format="json").status_code == 400
    bad = dispatcher.post(f"{URL}{case.pk}/extension/decision/", {"note": "x"}, format="json")
    assert bad.status_code == 400 and "approve" in bad.json()
    assert api_client.post(f"{URL}{case.pk}/hold/", {"reason": "x"}, format="json").status_code == 401
    assert dispatcher.post(f"{URL}{case.pk}/hold/", {"reason": "x"}, format="json").status_code == 403
    unrelated = api_as(city.officer_unrelated)
    assert unrelated.post(f"{URL}{case.pk}/hold/", {"reason": "x"}, format="json").status_code == 404
    answer = dispatcher.post(f"{URL}{case.pk}/hold/decision/", {"approve": True}, format="json")
    assert answer.status_code == 409  # nothing is waiting
    assert officer.post(f"{URL}{case.pk}/resume/", {}, format="json").status_code == 409
    officer.post(f"{URL}{case.pk}/hold/", {"reason": "暂无法处置"}, format="json")
    refused = dispatcher.post(f"{URL}{case.pk}/hold/decision/", {"approve": False}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    assert officer.post(f"{URL}{case.pk}/hold/decision/", {"approve": True}, format="json").status_code == 403
    assert Case.objects.get(pk=case.pk).held_since is None


# --- the pages ---------------------------------------------------------------------------------------


def test_the_workbench_asks_and_the_console_decides(city, client):
    case = dispatched(city, datetime.now(TZ))
    client.force_login(city.officer_lead)
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'id="panel-extension"' in page and 'id="panel-hold"' in page
    bad = client.post(f"/workbench/cases/{case.pk}/extension/", {"ext_request-reason": "需协调"})
    assert bad.status_code == 400 and "field-error" in bad.content.decode()
    answer = client.post(
        f"/workbench/cases/{case.pk}/extension/",
        {"ext_request-reason": "需协调", "ext_request-extra_amount": "1.5"},
    )
    assert answer.status_code == 302
    request = SlaRequest.objects.get(case=case)
    assert request.extra_amount == Decimal("1.5") and request.requested_by == city.officer_lead

    console = Client()
    console.force_login(city.dispatcher)
    page = console.get(f"/console/cases/{case.pk}/").content.decode()
    assert 'id="panel-extension-approve"' in page and "需协调" in page
    refused = console.post(f"/console/cases/{case.pk}/extension-refuse/", {"ext_refuse-note": ""})
    assert refused.status_code == 400
    answer = console.post(f"/console/cases/{case.pk}/extension-approve/", {"ext_approve-note": "同意"})
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.deadline == calendar.deadline(request.deadline_before, Decimal("1.5"), "working_hours").deadline


def test_the_hold_buttons_and_the_on_hold_badge(city, client):
    case = dispatched(city, datetime.now(TZ))
    client.force_login(city.officer_lead)
    assert client.post(f"/workbench/cases/{case.pk}/hold/", {"hold_request-reason": "待施工"}).status_code == 302
    console = Client()
    console.force_login(city.dispatcher)
    assert console.post(f"/console/cases/{case.pk}/hold-approve/", {"hold_approve-note": ""}).status_code == 302
    page = client.get(f"/workbench/cases/{case.pk}/").content.decode()
    assert 'id="panel-resume"' in page and 'id="panel-extension"' not in page
    assert "挂账（自" in page  # the header's badge: on hold since ...
    with transaction.atomic():
        assert client.post(f"/workbench/cases/{case.pk}/resume/", {"resume-note": ""}).status_code == 302
    assert Case.objects.get(pk=case.pk).held_since is None


def test_the_inbox_marks_parked_cases_and_waiting_requests(city, client):
    parked, asking = dispatched(city, datetime.now(TZ)), dispatched(city, datetime.now(TZ))
    services.request_hold(city.officer_lead, parked, reason="待施工")
    services.approve_hold(city.dispatcher, parked)
    services.request_extension(city.officer_lead, asking, reason="需协调", extra_amount=1)
    client.force_login(city.officer_lead)
    rows = client.get("/workbench/").content.decode().split("<tr")
    parked_row = next(row for row in rows if parked.tracking_no in row)
    asking_row = next(row for row in rows if asking.tracking_no in row)
    assert "挂账" in parked_row and "待中心审批" not in parked_row
    assert "待中心审批" in asking_row
