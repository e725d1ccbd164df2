"""The phone and integration API of cases after the report: lists, details, steps, figures, me, the schema."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test.utils import CaptureQueriesContext

from incidents import services
from incidents.choices import CaseStatus
from tests.city import TZ
from tests.incidents.test_api import URL, report_body, token_client

# --- reading -------------------------------------------------------------------------------------------


def test_the_list_and_the_detail_do_not_grow_in_queries_with_rows(city, api_as, django_assert_max_num_queries, photo):
    client = token_client(city.dispatcher)
    for _ in range(3):
        case = city.case_in(CaseStatus.DISPATCHED)
        services.add_note_case(city.officer_lead, case, note="进展", photos=[photo()])
    with CaptureQueriesContext(__import__("django.db").db.connection) as few:
        response = client.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 3
    for _ in range(5):
        case = city.case_in(CaseStatus.RESOLVED)
        services.add_note_case(city.officer_lead, case, note="进展", photos=[photo(), photo()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(URL).json()
    assert body["count"] == 8 and len(body["results"]) == 8
    with django_assert_max_num_queries(8):
        detail = client.get(f"{URL}{case.pk}/")
    assert detail.status_code == 200
    assert len(detail.json()["timeline"]) == 6  # report, accept, dispatch, start, resolve, note


def test_the_detail_has_the_timeline_and_the_actions_you_may_take(city, api_as):
    case = city.case_in(CaseStatus.DISPATCHED)
    detail = api_as(city.officer_lead).get(f"{URL}{case.pk}/").json()
    assert [row["action"] for row in detail["timeline"]] == ["report", "accept", "dispatch"]
    assert detail["timeline"][2]["actor"]["name"] == "值班员"
    assert set(detail["actions"]) == {"start", "return", "note", "ext_request", "hold_request"}
    assert detail["lead_department"]["code"] == "CGJ"
    assert [d["code"] for d in detail["assisting_departments"]] == ["GAJ"]
    assert detail["status_display"] and detail["status_colour"].startswith("#")
    assert api_as(city.dispatcher).get(f"{URL}{case.pk}/").json()["actions"] == ["assign", "urge", "note"]


def test_filters(city, api_as):
    dispatched = city.case_in(CaseStatus.DISPATCHED)
    city.case_in(CaseStatus.REPORTED, point=(28.255, 109.715))
    closed = city.case_in(CaseStatus.CLOSED)
    client = api_as(city.dispatcher)

    def ids(**params) -> set[int]:
        response = client.get(URL, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(status="dispatched") == {dispatched.pk}
    assert ids(status=["dispatched", "closed"]) == {dispatched.pk, closed.pk}
    assert len(ids(grid=city.grid_b.pk)) == 1 and ids(grid=city.grid_b.code) == ids(grid=city.grid_b.pk)
    assert len(ids(township="433101901")) == 3 and ids(township="000000000") == set()
    assert ids(department="CGJ") == {dispatched.pk, closed.pk} == ids(department=city.lead.pk)
    assert len(ids(subcategory="0101")) == 3 and ids(subcategory="0102") == set()
    today = date.today()
    assert len(ids(created_after=str(today - timedelta(days=1)), created_before=str(today + timedelta(days=1)))) == 3
    assert ids(created_before=str(today - timedelta(days=2))) == set()
    assert ids(q=closed.tracking_no) == {closed.pk}
    assert client.get(URL, {"status": "bogus"}).status_code == 400
    assert client.get(URL, {"created_after": "yesterday"}).status_code == 400


def test_the_overdue_filter(city, api_as):
    old = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    late = city.report(now=old)
    services.dispatch_case(city.dispatcher, late, now=old)
    city.case_in(CaseStatus.DISPATCHED)
    client = api_as(city.dispatcher)
    assert [row["id"] for row in client.get(URL, {"overdue": "true"}).json()["results"]] == [late.pk]
    assert late.pk not in {row["id"] for row in client.get(URL, {"overdue": "false"}).json()["results"]}
    assert client.get(f"{URL}{late.pk}/").json()["overdue"] is True


# --- steps ---------------------------------------------------------------------------------------------------


def test_the_whole_loop_through_the_api(city, api_as):
    case_id = api_as(city.worker_a).post(URL, report_body(), format="json").json()["id"]
    dispatcher, officer = api_as(city.dispatcher), api_as(city.officer_lead)

    def post(client, action, body=None):
        response = client.post(f"{URL}{case_id}/{action}/", body or {}, format="json")
        assert response.status_code == 200, (action, response.json())
        return response.json()

    assert post(dispatcher, "accept")["status"] == "registered"
    assert post(dispatcher, "dispatch", {"department": "CGJ", "assisting": ["GAJ"], "note": "请处理"})["status"] == (
        "dispatched"
    )
    assert post(officer, "start")["status"] == "in_progress"
    assert post(officer, "return", {"reason": "不归我们管"})["status"] == "returned"
    assert post(dispatcher, "dispatch", {"department": city.lead.pk})["status"] == "dispatched"
    post(officer, "start")
    assert post(officer, "resolve", {"note": "已清运"})["status"] == "resolved"
    assert post(dispatcher, "reopen", {"reason": "未清理干净"})["rework_count"] == 1
    post(officer, "resolve", {"note": "再次清运"})
    assert post(api_as(city.worker_a), "verify")["verified_by"]["id"] == city.worker_a.pk
    assert post(api_as(city.leader), "note", {"note": "好"})["status"] == "resolved"
    closed = post(dispatcher, "approve", {"satisfaction": "satisfied"})
    assert closed["status"] == "closed" and closed["return_count"] == 1 and closed["actions"] == ["note"]


def test_step_errors(city, api_as):
    case = city.case_in(CaseStatus.DISPATCHED)
    dispatcher = api_as(city.dispatcher)
    response = dispatcher.post(f"{URL}{case.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition" and "已派遣" in response.json()["detail"]
    response = api_as(city.officer_lead).post(f"{URL}{case.pk}/return/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api_as(city.officer_lead).post(f"{URL}{case.pk}/return/", {"reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = dispatcher.post(f"{URL}{case.pk}/reject/", {"reason": "x"}, format="json")
    assert response.status_code == 409
    fresh = city.case_in(CaseStatus.REGISTERED)
    response = dispatcher.post(f"{URL}{fresh.pk}/dispatch/", {"department": "NOPE"}, format="json")
    assert response.status_code == 400 and "department" in response.json()
    response = dispatcher.post(f"{URL}{fresh.pk}/dispatch/", {"department": "CGJ", "assisting": ["CGJ"]}, format="json")
    assert response.status_code == 400 and "assisting" in response.json()
    response = dispatcher.post(
        f"{URL}{fresh.pk}/dispatch/", {"department": "CGJ", "officer": city.officer_assisting.pk}, format="json"
    )
    assert response.status_code == 400 and "officer" in response.json()
    assert dispatcher.post(f"{URL}99999999/accept/", {}, format="json").status_code == 404
    fresh.refresh_from_db()
    assert fresh.status == CaseStatus.REGISTERED


def test_writes_are_rate_limited(city, api_as, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "writes", "2/min")
    client = api_as(city.worker_b)
    codes = [client.post(URL, report_body(lat=28.255, lng=109.715), format="json").status_code for _ in range(3)]
    assert codes[:2] == [201, 201] and codes[2] == 429
    assert client.get(URL).status_code == 200  # reads are not throttled


# --- figures and me ------------------------------------------------------------------------------------------


def test_the_summary_counts_what_you_may_see_now_and_as_of_a_day(city, api_as):
    day1 = datetime(2026, 11, 2, 10, 0, tzinfo=TZ)
    day2 = day1 + timedelta(days=1)
    a = city.report(now=day1)
    b = city.report(now=day1, point=(28.255, 109.715))
    c = city.report(now=day1)
    services.dispatch_case(city.dispatcher, a, now=day1)
    services.reject_case(city.dispatcher, c, reason="重复", now=day1)
    services.start_case(city.officer_lead, a, now=day2)
    services.resolve_case(city.officer_lead, a, note="好", now=day2)
    services.accept_case(city.dispatcher, b, now=day2)
    city.report(now=day2 + timedelta(days=1))

    def summary(user, **params):
        response = api_as(user).get("/api/v1/stats/summary/", params)
        assert response.status_code == 200, response.json()
        return response.json()

    assert summary(city.dispatcher) == {
        "received": 4,
        "closed": 0,
        "pending_review": 1,
        "in_progress": 0,
        "other": 3,
    }
    assert summary(city.dispatcher, at="2026-11-02") == {
        "received": 3,
        "closed": 0,
        "pending_review": 0,
        "in_progress": 1,
        "other": 2,
    }
    assert summary(city.dispatcher, at="2026-11-03")["pending_review"] == 1
    assert summary(city.dispatcher, at="2026-11-01")["received"] == 0
    assert summary(city.worker_b)["received"] == 1  # only grid B's case
    assert summary(city.officer_unrelated)["received"] == 0
    assert summary(city.nobody) == dict.fromkeys(["received", "closed", "pending_review", "in_progress", "other"], 0)
    assert api_as(city.dispatcher).get("/api/v1/stats/summary/", {"at": "2026-13-01"}).status_code == 400


def test_me_tells_the_department_and_the_grids(city, api_as):
    me = api_as(city.head_lead).get("/api/v1/me/").json()
    assert me["department"] == {"id": city.lead.pk, "code": "CGJ", "name": city.lead.name, "is_head": True}
    assert me["grids"] == []
    me = api_as(city.worker_a).get("/api/v1/me/").json()
    assert me["department"] is None
    assert me["grids"] == [{"id": city.grid_a.pk, "code": city.grid_a.code, "name": city.grid_a.name}]


def test_the_schema_documents_the_case_api(api_client, db):
    schema = api_client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ["/api/v1/incidents/", "/api/v1/incidents/{id}/dispatch/", "/api/v1/incidents/{id}/self-resolve/"]:
        assert path in text
    assert "/api/v1/stats/summary/" in text and "JS20261127-0042" in text
