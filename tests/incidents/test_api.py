"""The phone and integration API of cases: reporting (idempotency, photos, bad input, who may report)."""

from __future__ import annotations

import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from incidents import services
from incidents.models import Attachment, Case, CaseEvent
from tests.city import IN_A, OUTSIDE, jpeg

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
    from accounts.services.tokens import issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user)[1]}")
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
