"""The department workbench: the inbox by deadline, each step through its forms, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from incidents import services
from incidents.choices import AttachmentKind, CaseAction, CaseSource, CaseStatus, SlaLevel
from incidents.models import Case
from incidents.time_left import time_left
from tests.city import jpeg


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def case_url(case: Case, action: str = "") -> str:
    return f"/workbench/cases/{case.pk}/" + (f"{action}/" if action else "")


def photo_upload(name: str = "after.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


# --- who may open what ---------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    for path in ["/workbench/", case_url(case)]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(case_url(case, "start"), {}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


@pytest.mark.parametrize("persona", ["dispatcher", "leader", "worker_a", "nobody"])
def test_other_roles_get_403(city, client, persona):
    case = city.case_in(CaseStatus.DISPATCHED)
    login(client, getattr(city, persona))
    assert client.get("/workbench/").status_code == 403
    assert client.get(case_url(case)).status_code == 403
    assert client.post(case_url(case, "start"), {}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_an_officer_of_another_department_neither_sees_nor_acts(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    login(client, city.officer_unrelated)
    assert case.tracking_no not in client.get("/workbench/").content.decode()
    assert client.get(case_url(case)).status_code == 404
    for action, data in [
        ("start", {}),
        ("resolve", {"resolve-note": "x"}),
        ("return", {"return-reason": "x"}),
        ("note", {"note-note": "x"}),
        ("assign", {"assign-officer": city.officer_unrelated.pk}),
    ]:
        assert client.post(case_url(case, action), data).status_code == 404, action
    assert list(case.events.values_list("action", flat=True)) == ["report", "accept", "dispatch"]


def test_an_assisting_officer_sees_the_case_and_adds_notes_but_does_not_handle_it(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    login(client, city.officer_assisting)
    assert case.tracking_no in client.get("/workbench/?tab=assisting").content.decode()
    html = client.get(case_url(case)).content.decode()
    assert 'data-action="note"' in html and 'data-action="start"' not in html
    assert client.post(case_url(case, "start"), {}).status_code == 403
    assert client.post(case_url(case, "note"), {"note-note": "公安已到场配合"}).status_code == 302
    assert case.events.get(action=CaseAction.NOTE).department == city.assisting


def test_a_case_of_the_centre_is_not_in_the_workbench(city, client):
    case = city.report()
    login(client, city.officer_lead)
    assert client.get(case_url(case)).status_code == 404


# --- the inbox -------------------------------------------------------------------------------------


def _dispatched(city, *, hours_ago: float = 0):
    case = city.report()
    return services.dispatch_case(
        city.dispatcher, case, department=city.lead, now=timezone.now() - timedelta(hours=hours_ago)
    )


def test_the_inbox_is_ordered_by_deadline_and_coloured_by_time_left(city, client):
    # 0101's limit is 4 working hours; dispatched two weeks ago it is overdue by now.
    overdue = _dispatched(city, hours_ago=24 * 14)
    fresh = _dispatched(city)
    html = login(client, city.officer_lead).get("/workbench/").content.decode()
    assert html.index(overdue.tracking_no) < html.index(fresh.tracking_no)
    assert 'class="level-overdue"' in html
    assert time_left(Case.objects.get(pk=overdue.pk), timezone.now()).level == SlaLevel.OVERDUE


def test_time_left_levels(city):
    case = _dispatched(city)
    now = case.dispatched_at
    # Yellow from the SLA clock's warning instant (80 % of the working time allowed).
    assert time_left(case, now).level == SlaLevel.NORMAL
    assert time_left(case, case.sla_warning_at - timedelta(microseconds=1)).level == SlaLevel.NORMAL
    assert time_left(case, case.sla_warning_at).level == SlaLevel.WARNING
    assert time_left(case, case.deadline + timedelta(minutes=1)).level == SlaLevel.OVERDUE
    assert "超期" in time_left(case, case.deadline + timedelta(hours=2)).text
    assert time_left(city.report(), now) is None


def test_officers_see_their_own_and_unassigned_cases_and_the_head_sees_all(city, client, make_user):
    from departments.services import appoint

    colleague = make_user("t-officer-cgj-2")
    appoint(colleague, city.lead)
    mine = _dispatched(city)
    services.start_case(city.officer_lead, mine)
    theirs = _dispatched(city)
    services.assign_case(city.head_lead, theirs, officer=colleague)
    open_case = _dispatched(city)
    html = login(client, city.officer_lead).get("/workbench/").content.decode()
    assert mine.tracking_no in html and open_case.tracking_no in html and theirs.tracking_no not in html
    # ...but the case of a colleague is still the department's: the officer may open it.
    assert client.get(case_url(theirs)).status_code == 200
    head = login(Client(), city.head_lead).get("/workbench/").content.decode()
    assert all(case.tracking_no in head for case in (mine, theirs, open_case))
    assert 'name="assign-officer"' in head


def test_the_head_reassigns_between_officers(city, client, make_user):
    from departments.services import appoint

    colleague = make_user("t-officer-cgj-2", last_name="城管二")
    appoint(colleague, city.lead)
    case = _dispatched(city)
    services.start_case(city.officer_lead, case)
    login(client, city.head_lead)
    response = client.post(case_url(case, "assign"), {"assign-officer": colleague.pk, "next": "/workbench/"})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    assert Case.objects.get(pk=case.pk).assigned_officer == colleague
    # Someone who is not an officer of the department is refused by the form.
    response = client.post(case_url(case, "assign"), {"assign-officer": city.officer_unrelated.pk})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).assigned_officer == colleague
    # An officer may not reassign.
    login(client, city.officer_lead)
    assert client.post(case_url(case, "assign"), {"assign-officer": city.officer_lead.pk}).status_code == 403


def test_an_administrator_chooses_a_department(city, client):
    case = _dispatched(city)
    login(client, city.admin)
    html = client.get("/workbench/").content.decode()
    assert "?department=CGJ" in html and case.tracking_no not in html
    assert case.tracking_no in client.get("/workbench/?department=CGJ").content.decode()


# --- the steps ---------------------------------------------------------------------------------------


def test_start_note_and_resolve_with_photos(city, client):
    case = _dispatched(city)
    login(client, city.officer_lead)
    assert 'data-action="start"' in client.get(case_url(case)).content.decode()
    assert client.post(case_url(case, "start"), {"start-note": "已接收"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.assigned_officer == city.officer_lead
    response = client.post(case_url(case, "note"), {"note-note": "正在清运", "note-photos": [photo_upload()]})
    assert response.status_code == 302
    assert case.attachments.get().kind == AttachmentKind.HANDLING
    response = client.post(
        case_url(case, "resolve"),
        {"resolve-note": "已清运完毕", "resolve-photos": [photo_upload("a.jpg"), photo_upload("b.jpg")]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED
    assert case.attachments.filter(kind=AttachmentKind.AFTER).count() == 2


def test_resolve_bad_input_shows_errors_and_changes_nothing(city, client):
    case = services.start_case(city.officer_lead, _dispatched(city))
    login(client, city.officer_lead)
    bad_photo = SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg")
    for data in ({"resolve-note": ""}, {"resolve-note": "完成", "resolve-photos": [bad_photo]}):
        response = client.post(case_url(case, "resolve"), data)
        assert response.status_code == 400
        assert "field-error" in response.content.decode()
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_PROGRESS and not case.attachments.exists()


def test_return_needs_a_reason_and_goes_back_to_the_inbox(city, client):
    case = _dispatched(city)
    login(client, city.officer_lead)
    response = client.post(case_url(case, "return"), {"return-reason": ""})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED
    response = client.post(case_url(case, "return"), {"return-reason": "不属于本部门职责"})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED and case.return_count == 1


def test_a_step_already_taken_is_a_409(city, client):
    case = services.start_case(city.officer_lead, _dispatched(city))
    response = login(client, city.officer_lead).post(case_url(case, "start"), {})
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_forms_need_the_csrf_token(city):
    case = _dispatched(city)
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.officer_lead)
    assert client.post(case_url(case, "start"), {}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_the_callers_contact_is_masked_for_departments(city, client):
    case = city.report(city.dispatcher, source=CaseSource.HOTLINE, reporter_name="李小红", reporter_phone="13812345678")
    services.dispatch_case(city.dispatcher, case, department=city.lead)
    officer_view = login(client, city.officer_lead).get(case_url(case)).content.decode()
    assert "13812345678" not in officer_view and "李小红" not in officer_view
    assert "138****5678" in officer_view and "李**" in officer_view
    centre_view = login(Client(), city.dispatcher).get(f"/console/cases/{case.pk}/").content.decode()
    assert "13812345678" in centre_view and "李小红" in centre_view


def assert_lists(response, cases) -> None:
    """The page rendered, with every one of ``cases`` in it (a redirect or a refusal fails)."""
    assert response.status_code == 200
    html = response.content.decode()
    assert [case.tracking_no for case in cases if case.tracking_no not in html] == []


def test_inbox_queries_are_bounded(city, client, django_assert_max_num_queries):
    cases = [_dispatched(city) for _ in range(2)]
    login(client, city.head_lead)
    assert_lists(client.get("/workbench/"), cases)
    with django_assert_max_num_queries(14):
        response = client.get("/workbench/")
    assert_lists(response, cases)
    cases += [_dispatched(city) for _ in range(5)]
    with django_assert_max_num_queries(14):
        response = client.get("/workbench/")
    assert_lists(response, cases)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("0743-8221234", "074*****1234"), ("12345", "***45"), ("", "")],
)
def test_phone_masking(phone, masked):
    from incidents.privacy import mask_phone

    assert mask_phone(phone) == masked
    assert phone == "" or phone[-2:] == masked[-2:]


def test_name_masking_keeps_the_family_name():
    from incidents.privacy import mask_name

    assert (mask_name("张三丰"), mask_name("李"), mask_name("")) == ("张**", "李", "")
