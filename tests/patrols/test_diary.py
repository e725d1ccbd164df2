"""The patrol diary (民情日志): entries, photos, case links, 代录 by the centre, leaders' comments."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gridcenter.realtime import user_group
from patrols import services
from patrols.choices import DiaryType
from patrols.exceptions import FieldWorkPermissionDenied, FieldWorkValidationError
from patrols.models import DiaryComment, DiaryEntry, DiaryPhoto
from tests.city import IN_B, jpeg
from tests.realtime import listening


def entry_body(**fields) -> dict:
    body = {
        "client_uuid": str(uuid.uuid4()),
        "type": DiaryType.VISIT,
        "place": "大田社区 3 组",
        "content": "走访独居老人吴奶奶，身体尚好",
        "action_taken": "提醒天冷注意取暖",
        "households_visited": 2,
    }
    body.update(fields)
    return body


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_a_worker_writes_an_entry_with_photos_once_per_client_uuid(api_as, city, media_root):
    api = api_as(city.workers["a"])
    body = entry_body(photos=[upload(jpeg((800, 600))), upload(jpeg())])
    created = api.post("/api/v1/diary/", body, format="multipart")
    assert created.status_code == 201, created.content
    assert created.data["grid"]["id"] == city.grids["A"].pk
    assert created.data["on_behalf"] is False
    assert created.data["entered_by"]["id"] == city.workers["a"].pk
    assert created.data["type_display"]
    assert len(created.data["photos"]) == 2
    body["photos"] = [upload(jpeg())]
    again = api.post("/api/v1/diary/", body, format="multipart")
    assert again.status_code == 200
    assert again.data["id"] == created.data["id"]
    assert DiaryEntry.objects.count() == 1 and DiaryPhoto.objects.count() == 2

    photo = api.get(created.data["photos"][0]["url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    stored = Image.open(media_root / DiaryPhoto.objects.first().file.name)
    assert stored.format == "JPEG" and not stored.info.get("exif")
    assert api.get(created.data["photos"][0]["thumbnail_url"]).status_code == 200
    assert api_as(city.workers["b"]).get(created.data["photos"][0]["url"]).status_code == 404


def test_an_entry_links_a_case_of_the_workers_grid_by_tracking_number(api_as, city):
    case = city.report(city.workers["a"])
    foreign = city.report(city.workers["b"], point=IN_B)
    api = api_as(city.workers["a"])
    linked = api.post("/api/v1/diary/", entry_body(case=case.tracking_no), format="json")
    assert linked.status_code == 201, linked.content
    assert linked.data["case"]["id"] == case.pk
    assert api.post("/api/v1/diary/", entry_body(case=str(case.pk)), format="json").status_code == 201
    refused = api.post("/api/v1/diary/", entry_body(case=foreign.tracking_no), format="json")
    assert refused.status_code == 400 and "case" in refused.data


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "party"}, "type"),
        ({"content": "  "}, "content"),
        ({"place": ""}, "place"),
        ({"households_visited": -1}, "households_visited"),
        ({"occurred_at": "2999-01-01T08:00:00+08:00"}, "occurred_at"),
        ({"lat": 28.25}, "lat"),
        ({"grid": 999999}, "grid"),
        ({"client_uuid": "nope"}, "client_uuid"),
    ],
)
def test_bad_input_is_a_400_with_the_field_and_nothing_is_written(api_as, city, fields, field):
    response = api_as(city.workers["a"]).post("/api/v1/diary/", entry_body(**fields), format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not DiaryEntry.objects.exists()


def test_a_bad_photo_is_refused_and_leaves_no_file(api_as, city, media_root):
    body = entry_body(photos=[upload(b"not an image at all", "x.jpg")])
    response = api_as(city.workers["a"]).post("/api/v1/diary/", body, format="multipart")
    assert response.status_code == 400 and "photos" in response.data
    assert not DiaryEntry.objects.exists()
    assert not any(path.is_file() for path in media_root.rglob("*")) if media_root.exists() else True


def test_a_worker_sees_only_their_own_diary_and_the_centre_sees_all(api_as, city, dispatcher, leader, officer):
    mine = services.create_diary_entry(city.workers["a"], **entry_body()).entry
    theirs = services.create_diary_entry(city.workers["b"], **entry_body()).entry
    rows = api_as(city.workers["a"]).get("/api/v1/diary/").data["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert api_as(city.workers["a"]).get(f"/api/v1/diary/{theirs.pk}/").status_code == 404
    for person in (dispatcher, leader):
        assert {row["id"] for row in api_as(person).get("/api/v1/diary/").data["results"]} == {mine.pk, theirs.pk}
    assert api_as(officer).get("/api/v1/diary/").status_code == 403
    assert api_as(officer).post("/api/v1/diary/", entry_body(), format="json").status_code == 403


def test_the_list_filters_by_type_worker_and_dates(api_as, city, dispatcher):
    now = timezone.now()
    services.create_diary_entry(city.workers["a"], **entry_body(type=DiaryType.MEDIATION))
    services.create_diary_entry(
        city.workers["b"], **entry_body(type=DiaryType.PATROL, occurred_at=now - timedelta(days=10))
    )
    api = api_as(dispatcher)
    assert api.get("/api/v1/diary/?type=mediation").data["count"] == 1
    assert api.get(f"/api/v1/diary/?worker={city.workers['b'].pk}").data["count"] == 1
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert api.get(f"/api/v1/diary/?occurred_after={since}").data["count"] == 1
    assert api.get("/api/v1/diary/?type=party").status_code == 400


def test_a_dispatcher_enters_a_paper_diary_on_a_workers_behalf(api_as, city, dispatcher):
    api = api_as(dispatcher)
    written = timezone.now() - timedelta(days=3)
    body = entry_body(worker=city.workers["c"].pk, occurred_at=written.isoformat(), type=DiaryType.PUBLICITY)
    created = api.post("/api/v1/diary/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.data["worker"]["id"] == city.workers["c"].pk
    assert created.data["entered_by"]["id"] == dispatcher.pk
    assert created.data["on_behalf"] is True
    assert created.data["grid"]["id"] == city.grids["C"].pk
    # The worker sees it in their own diary, marked as entered for them.
    rows = api_as(city.workers["c"]).get("/api/v1/diary/").data["results"]
    assert [(row["id"], row["on_behalf"]) for row in rows] == [(created.data["id"], True)]


def test_on_behalf_needs_a_grid_worker_and_the_centres_role(api_as, city, dispatcher, leader, officer):
    api = api_as(dispatcher)
    assert "worker" in api.post("/api/v1/diary/", entry_body(), format="json").data
    assert "worker" in api.post("/api/v1/diary/", entry_body(worker=officer.pk), format="json").data
    assert "worker" in api.post("/api/v1/diary/", entry_body(worker=city.workers["retired"].pk), format="json").data
    body = entry_body(worker=city.workers["a"].pk)
    assert api_as(leader).post("/api/v1/diary/", body, format="json").status_code == 403
    assert api_as(city.workers["b"]).post("/api/v1/diary/", body, format="json").status_code == 403
    with pytest.raises(FieldWorkPermissionDenied):
        services.create_diary_entry(city.workers["b"], worker=city.workers["a"], **entry_body())
    assert not DiaryEntry.objects.exists()


def test_leaders_comment_and_the_worker_hears_of_it(
    api_as, city, leader, dispatcher, django_capture_on_commit_callbacks
):
    entry = services.create_diary_entry(city.workers["a"], **entry_body()).entry
    with listening(user_group(city.workers["a"].pk)) as drain:
        with django_capture_on_commit_callbacks(execute=True):
            commented = api_as(leader).post(f"/api/v1/diary/{entry.pk}/comments/", {"text": "做得好"}, format="json")
        events = drain()
    assert commented.status_code == 201, commented.content
    assert [c["text"] for c in commented.data["comments"]] == ["做得好"]
    assert events[0]["type"] == "diary.comment"
    assert events[0]["data"]["entry"] == entry.pk
    seen = api_as(city.workers["a"]).get(f"/api/v1/diary/{entry.pk}/").data
    assert seen["comments"][0]["author"]["id"] == leader.pk


def test_only_leaders_comment_and_not_blank(api_as, city, leader, dispatcher):
    entry = services.create_diary_entry(city.workers["a"], **entry_body()).entry
    url = f"/api/v1/diary/{entry.pk}/comments/"
    assert api_as(dispatcher).post(url, {"text": "看过"}, format="json").status_code == 403
    assert api_as(city.workers["a"]).post(url, {"text": "自己评"}, format="json").status_code == 403
    assert api_as(leader).post(url, {"text": ""}, format="json").status_code == 400
    assert api_as(leader).post("/api/v1/diary/999999/comments/", {"text": "x"}, format="json").status_code == 404
    with pytest.raises(FieldWorkValidationError):
        services.comment_diary_entry(leader, entry, text="   ")
    assert not DiaryComment.objects.exists()
