"""The phone and integration API of cases: reports, lists, details, steps, figures, photos."""

from __future__ import annotations

import io
import os
import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Attachment, Case, CaseEvent
from tests.city import IN_A, OUTSIDE, TZ, jpeg

URL = "/api/v1/incidents/"


def report_body(**overrides) -> dict:
    body = {
        "client_uuid": str(uuid.uuid4()),
        "subcategory": "0101",
        "description": "人民北路有暴露垃圾",
        "lat": IN_A[0],
        "lng": IN_A[1],
        "address": "人民北路 12 号",
    }
    body.update(overrides)
    return body


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def token_client(user) -> APIClient:
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


# --- reporting --------------------------------------------------------------------------------------------


def test_a_report_creates_a_located_case(city, api_as):
    response = api_as(city.worker_a).post(URL, report_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "reported"
    assert body["tracking_no"].startswith("JS")
    assert body["grid"] == {
        "id": city.grid_a.pk,
        "code": city.grid_a.code,
        "name": city.grid_a.name,
        "community": "测试社区",
        "township": "测试街道",
    }
    case = Case.objects.get(pk=body["id"])
    assert case.reporter == city.worker_a and case.address == "人民北路 12 号"


def test_the_same_client_uuid_again_returns_the_first_case(city, api_as):
    client = api_as(city.worker_a)
    body = report_body()
    first = client.post(URL, body, format="json")
    again = client.post(URL, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tracking_no"] == first.json()["tracking_no"]
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_someone_else_s_client_uuid_is_refused(city, api_as):
    body = report_body()
    assert api_as(city.worker_a).post(URL, body, format="json").status_code == 201
    response = api_as(city.worker_b).post(URL, body, format="json")
    assert response.status_code == 400 and "client_uuid" in response.json()
    assert Case.objects.count() == 1


def test_a_resubmission_with_photos_stores_them_once(city, api_as, media_root):
    client = api_as(city.worker_a)
    body = report_body()
    first = client.post(URL, {**body, "photos": [upload(jpeg())]}, format="multipart")
    again = client.post(URL, {**body, "photos": [upload(jpeg())]}, format="multipart")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Attachment.objects.count() == 1
    assert len([path for path in media_root.rglob("*.jpg")]) == 2  # the photo and its thumbnail


def test_a_report_with_photos_keeps_re_encoded_copies_and_thumbnails(city, api_as):
    client = api_as(city.worker_a)
    photos = [upload(jpeg((800, 600))), upload(_png((300, 300)), "shot.png", "image/png")]
    response = client.post(URL, {**report_body(), "photos": photos}, format="multipart")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    attachments = list(case.attachments.order_by("id"))
    assert [a.kind for a in attachments] == ["before", "before"]
    assert (attachments[0].width, attachments[0].height) == (800, 600)
    detail = client.get(f"{URL}{case.pk}/").json()
    photo = detail["timeline"][0]["attachments"][0]
    image = client.get(photo["url"].replace("http://testserver", ""))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(image.streaming_content))).format == "JPEG"
    thumb = client.get(photo["thumbnail_url"].replace("http://testserver", ""))
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) <= 320


def _png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (28.0, 15.0, 18.0)
    gps[3] = "E"
    gps[4] = (109.0, 42.0, 18.0)
    return exif


def test_exif_gps_is_gone_from_stored_photos(city, api_as, media_root):
    original = jpeg((640, 480), exif=_gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a GPS position
    response = api_as(city.worker_a).post(URL, {**report_body(), "photos": [upload(original)]}, format="multipart")
    assert response.status_code == 201
    stored = sorted(media_root.rglob("*.jpg"))
    assert len(stored) == 2
    for path in stored:
        data = path.read_bytes()
        image = Image.open(io.BytesIO(data))
        assert not image.getexif(), path
        assert "exif" not in image.info and b"Exif\x00\x00" not in data and b"PhoneMaker" not in data
        assert data != original


BAD_REPORTS = {
    "missing fields": ({"client_uuid": str(uuid.uuid4())}, {"subcategory", "description", "lat", "lng"}),
    "unknown sub-item": (report_body(subcategory="9999"), {"subcategory"}),
    "outside the city": (report_body(lat=OUTSIDE[0], lng=OUTSIDE[1]), {"location"}),
    "latitude out of range": (report_body(lat=95), {"lat"}),
    "wrong types": (report_body(lat="north", lng=[1], client_uuid="not-a-uuid"), {"lat", "lng", "client_uuid"}),
    "blank description": (report_body(description="   "), {"description"}),
    "unknown source": (report_body(source="pigeon"), {"source"}),
}


@pytest.mark.parametrize("name", BAD_REPORTS)
def test_bad_reports_get_400_with_messages_and_create_nothing(city, api_as, name):
    body, fields = BAD_REPORTS[name]
    response = api_as(city.worker_a).post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert fields <= set(errors), errors
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert Case.objects.count() == 0


BAD_PHOTOS = {
    "not an image": lambda: upload(b"%PDF-1.4 not a photo at all", "report.pdf", "application/pdf"),
    "text named .jpg": lambda: upload(b"hello city, I am not a JPEG", "photo.jpg"),
    "truncated jpeg": lambda: upload(jpeg((400, 300))[:300]),
    "gif": lambda: upload(_gif(), "anim.gif", "image/gif"),
}


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize("name", BAD_PHOTOS)
def test_bad_photos_get_400_and_leave_nothing_behind(city, api_as, media_root, name):
    response = api_as(city.worker_a).post(URL, {**report_body(), "photos": [BAD_PHOTOS[name]()]}, format="multipart")
    assert response.status_code == 400
    assert "photos" in response.json()
    assert Case.objects.count() == 0 and not list(media_root.rglob("*.jpg"))


def test_oversized_photos_are_refused(city, api_as, settings, media_root):
    settings.CASE_PHOTO_MAX_BYTES = 20_000
    big = jpeg((1200, 900), colour="white")
    noisy = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=100)
    assert len(buffer.getvalue()) > 20_000
    response = api_as(city.worker_a).post(
        URL, {**report_body(), "photos": [upload(buffer.getvalue())]}, format="multipart"
    )
    assert response.status_code == 400 and "photos" in response.json()
    settings.CASE_PHOTO_MAX_BYTES = 10_000_000
    settings.CASE_PHOTO_MAX_PIXELS = 1_000_000
    response = api_as(city.worker_a).post(URL, {**report_body(), "photos": [upload(big)]}, format="multipart")
    assert response.status_code == 400 and "photos" in response.json()
    assert Case.objects.count() == 0 and not list(media_root.rglob("*.jpg"))


@pytest.mark.django_db(transaction=True)
def test_a_report_costs_at_most_eight_queries(city, django_assert_max_num_queries):
    """Measured as in production: no test transaction around the request (so no savepoints).

    Token, roles, sub-item, grid lookup, counter, case, timeline row: 7.
    """
    client = token_client(city.worker_a)
    client.post(URL, report_body(), format="json")  # warm the connection and caches
    with django_assert_max_num_queries(8):
        response = client.post(URL, report_body(), format="json")
    assert response.status_code == 201
    with django_assert_max_num_queries(8):
        assert client.post(URL, report_body(), format="multipart").status_code == 201


def test_only_people_with_a_reporting_role_report(city, api_as, api_client):
    assert api_client.post(URL, report_body(), format="json").status_code == 401
    assert api_as(city.nobody).post(URL, report_body(), format="json").status_code == 403
    hotline = api_as(city.dispatcher).post(
        URL, report_body(reporter_name="王女士", reporter_phone="13800001111"), format="json"
    )
    assert hotline.status_code == 201 and hotline.json()["source"] == "hotline"
    case = Case.objects.get(pk=hotline.json()["id"])
    assert case.reporter is None and case.reporter_phone == "13800001111"
    assert api_as(city.worker_a).post(URL, report_body(source="hotline"), format="json").status_code == 403


def test_a_caller_s_contact_is_shown_to_the_centre_only(city, api_as):
    case = services.report_case(
        city.dispatcher,
        subcategory="0101",
        description="来电反映",
        lat=IN_A[0],
        lng=IN_A[1],
        reporter_name="王女士",
        reporter_phone="13800001111",
    ).case
    for_centre = api_as(city.dispatcher).get(f"{URL}{case.pk}/").json()["reporter"]
    for_worker = api_as(city.worker_a).get(f"{URL}{case.pk}/").json()["reporter"]
    assert for_centre == {"id": None, "name": "王女士", "phone": "13800001111"}
    assert for_worker == {"id": None, "name": "", "phone": ""}


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
