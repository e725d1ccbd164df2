"""The dispatcher console: the case page, registering a call, search, and the queries behind the lists."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from incidents import services
from incidents.choices import CaseSource, CaseStatus
from incidents.models import Case
from tests.city import IN_A, TZ
from tests.incidents.test_console import case_url, login

# --- the case page ----------------------------------------------------------------------------------------


def test_the_case_page_has_timeline_photos_map_and_cameras(city, client, photo):
    from grids.models import Camera
    from grids.services import make_point

    Camera.objects.create(code="CAM-T-1", name="测试路口", point=make_point(28.2551, 109.7051), grid=city.grid_a)
    case = city.report(photos=[photo()])
    case = services.dispatch_case(city.dispatcher, case, note="派往城管")
    html = login(client, city.dispatcher).get(case_url(case)).content.decode()
    assert "派往城管" in html and case.tracking_no in html
    assert f"/api/v1/attachments/{case.attachments.get().pk}/thumbnail/" in html
    assert "测试路口" in html and "CAM-T-1" in html
    assert 'id="casemap"' in html and "gridShape" in html
    assert city.grid_a.name in html


def test_the_timeline_shows_a_late_acceptance(city, client, settings):
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 30
    at = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
    case = city.report(now=at)
    services.accept_case(city.dispatcher, case, now=at + timedelta(minutes=50))
    login(client, city.dispatcher)
    html = client.get(case_url(case)).content.decode()
    assert "受理 50 分钟" in html and "超时" in html
    late = client.get("/console/late/").content.decode()
    assert case.tracking_no in late and "2026-11" in late


# --- registering a call -------------------------------------------------------------------------------------


def register_data(city, **overrides):
    data = {
        "client_uuid": "6f1c2b0e-5d1a-4c7e-9a51-000000000001",
        "source": CaseSource.HOTLINE,
        "subcategory": city.sub.pk,
        "description": "市民来电：路边垃圾堆积",
        "address": "测试路1号",
        "lat": IN_A[0],
        "lng": IN_A[1],
        "reporter_name": "李四",
        "reporter_phone": "13812345678",
    }
    return {**data, **overrides}


def test_register_a_hotline_call(city, client):
    login(client, city.dispatcher)
    form = client.get("/console/new/").content.decode()
    assert 'value="hotline"' in form and 'value="leader"' in form and 'value="grid_worker"' not in form
    response = client.post("/console/new/", register_data(city))
    case = Case.objects.get(description="市民来电：路边垃圾堆积")
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert case.source == CaseSource.HOTLINE and case.status == CaseStatus.REPORTED
    assert case.reporter is None and case.reporter_phone == "13812345678" and case.grid == city.grid_a
    # The same form sent twice (a double click) files the case once.
    client.post("/console/new/", register_data(city))
    assert Case.objects.filter(description="市民来电：路边垃圾堆积").count() == 1


def test_register_a_leaders_instruction(city, client):
    login(client, city.dispatcher)
    data = register_data(city, source=CaseSource.LEADER, reporter_name="分管副市长", reporter_phone="")
    data["client_uuid"] = "6f1c2b0e-5d1a-4c7e-9a51-000000000002"
    assert client.post("/console/new/", data).status_code == 302
    assert Case.objects.get(source=CaseSource.LEADER).reporter_name == "分管副市长"


@pytest.mark.parametrize(
    "overrides",
    [
        {"description": ""},
        {"subcategory": ""},
        {"lat": "north"},
        {"lat": 91},
        {"lat": 28.40, "lng": 109.90},  # outside the city's grids: the domain says so
        {"source": "grid_worker"},
        {"reporter_phone": "call me"},
        {"client_uuid": "not-a-uuid"},
    ],
)
def test_register_bad_input_shows_errors_and_creates_nothing(city, client, overrides):
    response = login(client, city.dispatcher).post("/console/new/", register_data(city, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "field-error" in html or "form-errors" in html
    assert not Case.objects.exists()


def test_register_with_a_photo_that_is_not_one(city, client):
    data = register_data(city)
    data["photos"] = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = login(client, city.dispatcher).post("/console/new/", data)
    assert response.status_code == 400
    assert "JPEG" in response.content.decode()
    assert not Case.objects.exists()


def test_a_leader_registers_only_instructions(city, client):
    html = login(client, city.leader).get("/console/new/").content.decode()
    assert 'value="leader"' in html and 'value="hotline"' not in html


# --- search -------------------------------------------------------------------------------------------------


def test_search_filters_with_the_api_filterset(city, client):
    first = city.report(description="桥下积水")
    second = city.case_in(CaseStatus.DISPATCHED)
    login(client, city.dispatcher)
    html = client.get("/console/cases/", {"q": "积水"}).content.decode()
    assert first.tracking_no in html and second.tracking_no not in html
    html = client.get("/console/cases/", {"status": [CaseStatus.DISPATCHED]}).content.decode()
    assert second.tracking_no in html and first.tracking_no not in html
    html = client.get("/console/cases/", {"department": "CGJ"}).content.decode()
    assert second.tracking_no in html and first.tracking_no not in html


def test_search_with_bad_filters_shows_errors(city, client):
    city.report()
    response = login(client, city.dispatcher).get("/console/cases/", {"created_after": "yesterday", "status": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html
    assert "form-errors" in html


def assert_lists(response, cases) -> None:
    """The page rendered, with every one of ``cases`` in it (a redirect or a refusal fails)."""
    assert response.status_code == 200
    html = response.content.decode()
    assert [case.tracking_no for case in cases if case.tracking_no not in html] == []


def test_search_query_count_does_not_grow_with_the_results(city, client, django_assert_max_num_queries):
    cases = [city.case_in(CaseStatus.DISPATCHED) for _ in range(3)]
    login(client, city.dispatcher)
    assert_lists(client.get("/console/cases/"), cases)  # warm the caches (roles, categories)
    # 13: session, user, its authenticator (two-factor sign-in), roles, counters, the pickers, the page.
    with django_assert_max_num_queries(13):
        response = client.get("/console/cases/")
    assert_lists(response, cases)
    cases += [city.case_in(CaseStatus.DISPATCHED) for _ in range(6)]
    with django_assert_max_num_queries(13):
        response = client.get("/console/cases/")
    assert_lists(response, cases)


def test_queue_queries_are_bounded(city, client, django_assert_max_num_queries, photo):
    reports = [city.report(photos=[photo()]) for _ in range(2)]
    login(client, city.dispatcher)
    assert_lists(client.get("/console/"), reports)
    with django_assert_max_num_queries(14):
        response = client.get("/console/")
    assert_lists(response, reports)
    reports += [city.report(photos=[photo()]) for _ in range(4)]
    # One duplicate-suggestion query per report on the page; nothing else grows.
    with django_assert_max_num_queries(18):
        response = client.get("/console/")
    assert_lists(response, reports)


def test_the_console_links_to_the_field_work_pages(client, dispatcher):
    client.force_login(dispatcher)
    html = client.get("/console/").content.decode()
    assert 'href="/console/directives/">指令</a>' in html
    assert 'href="/console/diary/">民情日志</a>' in html


def test_search_speaks_chinese_in_its_order_and_yes_no_filters(city, client):
    city.report()
    html = login(client, city.dispatcher).get("/console/cases/").content.decode()
    assert "Created at" not in html and "descending" not in html and "未知" not in html
    assert '<option value="-created_at">按上报时间，最新在前</option>' in html
    assert '<option value="deadline">按办理时限，最近在前</option>' in html
    for name in ("overdue", "held"):
        assert f'name="{name}"' in html
    assert html.count('<option value="" selected>全部</option>') == 6  # the two yes/no and the four pickers
    assert html.count('<option value="true">是</option>') == 2 and html.count('<option value="false">否</option>') == 2


def test_search_yes_no_filters_still_filter(city, client):
    late = city.case_in(CaseStatus.DISPATCHED)
    Case.objects.filter(pk=late.pk).update(deadline=datetime(2020, 1, 1, tzinfo=TZ))
    fresh = city.report()
    login(client, city.dispatcher)
    html = client.get("/console/cases/", {"overdue": "true"}).content.decode()
    assert late.tracking_no in html and fresh.tracking_no not in html
    assert '<option value="true" selected>是</option>' in html
    html = client.get("/console/cases/", {"overdue": "false"}).content.decode()
    assert fresh.tracking_no in html and late.tracking_no not in html


def test_the_console_and_workbench_show_todays_department_name(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    assert case.lead_department.code == "CGJ"
    html = login(client, city.dispatcher).get(case_url(case)).content.decode()
    assert "城市管理和综合执法局" in html and "城市管理和行政执法局" not in html
    html = client.get("/console/cases/").content.decode()
    assert "城市管理和综合执法局" in html and "城市管理和行政执法局" not in html
