"""The dispatcher console: who may open it, the queues, and each step and merge through its forms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from incidents import services
from incidents.choices import CaseAction, CaseStatus, Satisfaction
from incidents.models import Case
from tests.city import IN_A

PAGES = [
    "/console/",
    "/console/dispatch/",
    "/console/review/",
    "/console/cases/",
    "/console/new/",
    "/console/late/",
]


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def case_url(case: Case, action: str = "") -> str:
    return f"/console/cases/{case.pk}/" + (f"{action}/" if action else "")


def events(case: Case) -> list[str]:
    return list(case.events.values_list("action", flat=True))


# --- who may open what -----------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(city, client):
    case = city.report()
    for path in [*PAGES, case_url(case)]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next="), path
    response = client.post(case_url(case, "reject"), {"reject-reason": "无效"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


@pytest.mark.parametrize("persona", ["worker_a", "officer_lead", "head_lead", "nobody"])
def test_other_roles_get_403(city, client, persona):
    case = city.case_in(CaseStatus.DISPATCHED)
    login(client, getattr(city, persona))
    for path in [*PAGES, case_url(case)]:
        assert client.get(path).status_code == 403, path
    assert client.post(case_url(case, "urge"), {"urge-note": "快"}).status_code == 403
    assert Case.objects.get(pk=case.pk).urge_count == 0


@pytest.mark.parametrize("persona", ["dispatcher", "leader", "admin"])
def test_the_centre_opens_every_page(city, client, persona):
    case = city.report()
    login(client, getattr(city, persona))
    for path in [*PAGES, case_url(case)]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="zh-hans">' in response.content.decode()


def test_the_console_is_the_dispatchers_landing_page(city, client):
    login(client, city.dispatcher)
    assert client.get("/")["Location"] == "/console/"
    html = client.get("/console/").content.decode()
    assert "指挥中心值班员" in html and "指挥调度台" in html


def test_a_leader_reads_but_only_urges(city, client):
    case = city.report()
    login(client, city.leader)
    html = client.get(case_url(case)).content.decode()
    assert 'data-action="urge"' in html and 'data-action="dispatch"' not in html
    response = client.post(case_url(case, "reject"), {"reject-reason": "无效"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


# --- the queues -------------------------------------------------------------------------------------


def test_the_new_reports_queue_shows_reports_with_photos_map_and_waiting_time(city, client, photo):
    urgent = city.report(subcategory="0101", urgency="urgent", photos=[photo()])
    normal = city.report(subcategory="0102")
    dispatched = city.case_in(CaseStatus.DISPATCHED)
    html = login(client, city.dispatcher).get("/console/").content.decode()
    assert urgent.tracking_no in html and normal.tracking_no in html
    assert dispatched.tracking_no not in html
    assert html.index(urgent.tracking_no) < html.index(normal.tracking_no)  # urgent first
    attachment = urgent.attachments.get()
    assert f"/api/v1/attachments/{attachment.pk}/thumbnail/" in html
    assert 'id="queuemap"' in html and "casemap-config" in html
    assert "/api/v1/grids/geojson/" in html


def test_the_queue_flags_a_report_waiting_past_the_limit(city, client, settings):
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 30
    now = timezone.now()
    # Reported long enough ago that, whatever the hour now, more than 30 working minutes passed.
    city.report(now=now - timedelta(days=10))
    html = login(client, city.dispatcher).get("/console/").content.decode()
    assert 'class="card case-card late"' in html


def test_the_queue_suggests_duplicates(city, client):
    original = city.case_in(CaseStatus.DISPATCHED)
    report = city.report(point=(IN_A[0] + 0.0001, IN_A[1]))
    html = login(client, city.dispatcher).get("/console/").content.decode()
    card = html[html.index(report.tracking_no) :]
    assert original.tracking_no in card[: card.index("</article>")]


def test_the_dispatch_queue_holds_accepted_and_returned_cases(city, client):
    registered = city.case_in(CaseStatus.REGISTERED)
    returned = city.case_in(CaseStatus.RETURNED)
    html = login(client, city.dispatcher).get("/console/dispatch/").content.decode()
    assert registered.tracking_no in html and returned.tracking_no in html
    assert "不属于本部门职责" in html  # why it came back


def test_the_review_queue_shows_verification_and_reviews_inline(city, client):
    verified = city.case_in(CaseStatus.RESOLVED)
    services.verify_case(city.worker_a, verified)
    unverified = city.case_in(CaseStatus.RESOLVED)
    login(client, city.dispatcher)
    html = client.get("/console/review/").content.decode()
    assert verified.tracking_no in html and unverified.tracking_no in html
    assert "已现场核查" in html and "未现场核查" in html
    response = client.post(
        case_url(verified, "approve"),
        {"approve-satisfaction": Satisfaction.SATISFIED, "next": "/console/review/"},
    )
    assert response.status_code == 302 and response["Location"] == "/console/review/"
    closed = Case.objects.get(pk=verified.pk)
    assert closed.status == CaseStatus.CLOSED and closed.satisfaction == Satisfaction.SATISFIED
    response = client.post(case_url(unverified, "reopen"), {"reopen-reason": "未清理干净", "next": "/console/review/"})
    assert response.status_code == 302
    reopened = Case.objects.get(pk=unverified.pk)
    assert reopened.status == CaseStatus.IN_PROGRESS and reopened.rework_count == 1


# --- accept and dispatch in one screen ----------------------------------------------------------------


def test_the_case_page_suggests_the_sub_items_lead_department(city, client):
    case = city.report()
    html = login(client, city.dispatcher).get(case_url(case)).content.decode()
    assert 'data-action="dispatch"' in html
    assert f'<option value="{city.lead.pk}" selected>' in html
    assert city.sub.lead_department.name in html


def test_accept_and_dispatch_to_another_department_with_assisting_ones(city, client):
    case = city.report()
    response = login(client, city.dispatcher).post(
        case_url(case, "dispatch"),
        {
            "dispatch-department": city.unrelated.pk,
            "dispatch-assisting": [city.lead.pk, city.assisting.pk],
            "dispatch-note": "请现场核实",
            "next": "/console/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/console/"
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.lead_department == city.unrelated
    assert set(case.assisting_departments.all()) == {city.lead, city.assisting}
    assert events(case) == [CaseAction.REPORT, CaseAction.ACCEPT, CaseAction.DISPATCH]
    assert case.events.get(action=CaseAction.DISPATCH).note == "请现场核实"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(case.tracking_no in m for m in messages)


def test_dispatch_with_bad_input_shows_errors_and_changes_nothing(city, client):
    case = city.report()
    login(client, city.dispatcher)
    for data in (
        {"dispatch-department": ""},
        {"dispatch-department": "999999"},
        {"dispatch-department": "abc"},
        {"dispatch-department": city.lead.pk, "dispatch-assisting": [city.lead.pk]},
        {"dispatch-department": city.lead.pk, "dispatch-note": "x" * 2001},
        {"dispatch-department": city.lead.pk, "dispatch-subcategory": "nope"},
    ):
        response = client.post(case_url(case, "dispatch"), data)
        assert response.status_code == 400, data
        assert 'class="field-error"' in response.content.decode(), data
        assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED
    assert events(case) == [CaseAction.REPORT]


def test_accept_only_can_reclassify(city, client):
    case = city.report()
    other = city.sub.__class__.objects.get(code="0102")
    response = login(client, city.dispatcher).post(case_url(case, "accept"), {"accept-subcategory": other.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.subcategory == other


def test_reject_needs_a_reason(city, client):
    case = city.report()
    login(client, city.dispatcher)
    response = client.post(case_url(case, "reject"), {"reject-reason": "   "})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED
    response = client.post(case_url(case, "reject"), {"reject-reason": "不属于受理范围"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED and case.reject_reason == "不属于受理范围"


def test_a_step_the_status_no_longer_allows_is_a_409_with_a_message(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    response = login(client, city.dispatcher).post(case_url(case, "reject"), {"reject-reason": "晚了"})
    assert response.status_code == 409
    assert "已派遣" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_unknown_actions_and_get_requests(city, client):
    case = city.report()
    login(client, city.dispatcher)
    assert client.post(case_url(case, "explode"), {}).status_code == 404
    assert client.post(case_url(case, "start"), {}).status_code == 404  # a workbench step
    assert client.get(case_url(case, "reject")).status_code == 405
    assert client.get("/console/cases/999999/").status_code == 404


def test_forms_need_the_csrf_token(city):
    case = city.report()
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.dispatcher)
    response = client.post(case_url(case, "reject"), {"reject-reason": "无效"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED
    page = client.get(case_url(case))
    token = page.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = client.post(case_url(case, "reject"), {"reject-reason": "无效", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REJECTED


def test_an_unsafe_next_is_ignored(city, client):
    case = city.report()
    response = login(client, city.dispatcher).post(
        case_url(case, "reject"), {"reject-reason": "无效", "next": "https://evil.example/"}
    )
    assert response["Location"] == case_url(case)


# --- merge ---------------------------------------------------------------------------------------------


def test_the_case_page_offers_the_candidates_and_merges(city, client):
    original = city.case_in(CaseStatus.IN_PROGRESS)
    report = city.report(city.worker_b, point=(IN_A[0] + 0.0001, IN_A[1]))
    login(client, city.dispatcher)
    html = client.get(case_url(report)).content.decode()
    assert f'name="merge-into" value="{original.pk}"' in html
    response = client.post(case_url(report, "merge"), {"merge-into": original.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == CaseStatus.REJECTED and report.duplicate_of == original
    assert city.worker_b in original.followers.all()
    html = client.get(case_url(original)).content.decode()
    assert report.tracking_no in html  # listed among its merged duplicates


def test_merge_by_tracking_number_and_bad_targets(city, client):
    original = city.case_in(CaseStatus.DISPATCHED)
    closed = city.case_in(CaseStatus.CLOSED)
    report = city.report()
    login(client, city.dispatcher)
    for target in ("JS00000000-0000", closed.tracking_no, report.tracking_no, ""):
        response = client.post(case_url(report, "merge"), {"merge-into": target})
        assert response.status_code == 400, target
        assert "field-error" in response.content.decode()
    assert Case.objects.get(pk=report.pk).status == CaseStatus.REPORTED
    response = client.post(case_url(report, "merge"), {"merge-into": original.tracking_no.lower()})
    assert response.status_code == 302
    assert Case.objects.get(pk=report.pk).duplicate_of_id == original.pk
