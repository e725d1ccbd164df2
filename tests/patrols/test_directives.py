"""Directives (上级指令): targeting, live push, read receipts, replies, who has not read an urgent one."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gridcenter.realtime import user_group
from patrols import services
from patrols.choices import DirectiveTarget, Urgency
from patrols.exceptions import Conflict, FieldWorkValidationError, NotFound
from patrols.models import Directive, DirectiveRecipient
from tests.city import jpeg
from tests.realtime import listening

ACTIVE_WORKERS = {"a", "b", "ab", "c", "d", "old"}


def reached(city, directive: Directive) -> set[str]:
    by_id = {user.pk: key for key, user in city.workers.items()}
    return {by_id[pk] for pk in directive.recipients.values_list("worker_id", flat=True)}


@pytest.mark.parametrize(
    ("target", "units", "expected"),
    [
        (DirectiveTarget.ALL, [], ACTIVE_WORKERS),
        (DirectiveTarget.TOWNSHIP, ["t901"], {"a", "b", "ab", "c"}),
        (DirectiveTarget.TOWNSHIP, ["t902"], {"d"}),
        (DirectiveTarget.COMMUNITY, ["c1"], {"a", "b", "ab"}),
        (DirectiveTarget.COMMUNITY, ["c2", "c3"], {"c", "d"}),
        (DirectiveTarget.GRID, ["gA"], {"a", "ab"}),
        (DirectiveTarget.GRID, ["gA", "gB"], {"a", "b", "ab"}),
        (DirectiveTarget.WORKERS, ["wb", "wd"], {"b", "d"}),
    ],
)
def test_targeting_reaches_exactly_the_right_workers(city, dispatcher, target, units, expected):
    ids = {
        **{f"t{key}": township.pk for key, township in city.townships.items()},
        **{f"c{key}": community.pk for key, community in city.communities.items()},
        **{f"g{key}": grid.pk for key, grid in city.grids.items()},
        **{f"w{key}": user.pk for key, user in city.workers.items()},
    }
    directive = services.send_directive(
        dispatcher, text="今晚暴雨，请排查地灾隐患点", target=target, target_ids=[ids[unit] for unit in units]
    )
    assert reached(city, directive) == expected
    assert directive.recipient_count == len(expected)
    assert directive.target_label


def test_a_directive_is_pushed_live_to_each_recipient_after_commit(
    city, dispatcher, django_capture_on_commit_callbacks
):
    groups = [user_group(city.workers[key].pk) for key in ("a", "c")]
    with listening(*groups[:1]) as drain_a, listening(*groups[1:]) as drain_c:
        with django_capture_on_commit_callbacks(execute=True):
            directive = services.send_directive(
                dispatcher,
                text="地质灾害预警：立即巡查",
                urgency=Urgency.URGENT,
                target=DirectiveTarget.GRID,
                target_ids=[city.grids["A"].pk],
            )
        to_a, to_c = drain_a(), drain_c()
    assert [event["type"] for event in to_a] == ["directive.new"]
    assert to_a[0]["data"]["id"] == directive.pk and to_a[0]["data"]["urgent"] is True
    assert to_c == []


def test_the_api_sends_with_a_photo_and_a_reply_deadline(api_as, city, dispatcher):
    deadline = timezone.now() + timedelta(hours=2)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "text": "请核实河堤裂缝",
        "urgency": Urgency.URGENT,
        "target": DirectiveTarget.COMMUNITY,
        "target_ids": [city.communities["1"].pk],
        "reply_deadline": deadline.isoformat(),
        "lat": 28.255,
        "lng": 109.705,
        "photo": SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg"),
    }
    sent = api_as(dispatcher).post("/api/v1/directives/", body, format="multipart")
    assert sent.status_code == 201, sent.content
    assert sent.data["recipient_count"] == 3
    assert sent.data["counts"] == {"recipients": 3, "read": 0, "replied": 0, "unread": 3}
    assert sent.data["lat"] == pytest.approx(28.255)
    assert api_as(city.workers["a"]).get(sent.data["photo_url"]).status_code == 200
    assert api_as(city.workers["d"]).get(sent.data["photo_url"]).status_code == 404
    again = api_as(dispatcher).post("/api/v1/directives/", {**body, "photo": ""}, format="multipart")
    assert again.status_code == 200  # a resend answers the first directive, as a resent report does
    assert again.data["id"] == sent.data["id"]
    assert Directive.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": ""}, "text"),
        ({"target": "everyone"}, "target"),
        ({"target": DirectiveTarget.GRID, "target_ids": []}, "target_ids"),
        ({"target": DirectiveTarget.GRID, "target_ids": [999999]}, "target_ids"),
        ({"urgency": "panic"}, "urgency"),
        ({"reply_deadline": "2001-01-01T08:00:00+08:00"}, "reply_deadline"),
        ({"lat": 28.2}, "lat"),
    ],
)
def test_bad_directives_are_a_400_and_nothing_is_sent(api_as, city, dispatcher, fields, field):
    body = {"text": "通知", "target": DirectiveTarget.ALL, **fields}
    response = api_as(dispatcher).post("/api/v1/directives/", body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not Directive.objects.exists()


def test_named_targets_must_be_grid_workers_and_a_grid_of_an_old_map_is_unknown(city, dispatcher, officer):
    with pytest.raises(FieldWorkValidationError):
        services.send_directive(dispatcher, text="x", target=DirectiveTarget.WORKERS, target_ids=[officer.pk])
    with pytest.raises(FieldWorkValidationError):
        services.send_directive(dispatcher, text="x", target=DirectiveTarget.GRID, target_ids=[city.old_grid.pk])
    with pytest.raises(FieldWorkValidationError):  # nobody works in this grid
        city.grids["D"].workers.clear()
        services.send_directive(dispatcher, text="x", target=DirectiveTarget.GRID, target_ids=[city.grids["D"].pk])


@pytest.mark.parametrize("persona", ["leader", "officer"])
def test_only_the_centres_dispatchers_send(api_as, city, request, persona):
    body = {"text": "通知", "target": DirectiveTarget.ALL}
    assert api_as(request.getfixturevalue(persona)).post("/api/v1/directives/", body, format="json").status_code == 403
    assert api_as(city.workers["a"]).post("/api/v1/directives/", body, format="json").status_code == 403
    assert not Directive.objects.exists()


def test_workers_see_their_directives_mark_them_read_and_reply_once(
    api_as, city, dispatcher, django_capture_on_commit_callbacks
):
    grid_a, township_2 = [city.grids["A"].pk], [city.townships["902"].pk]
    mine = services.send_directive(dispatcher, text="一网格通知", target=DirectiveTarget.GRID, target_ids=grid_a)
    services.send_directive(dispatcher, text="二号乡通知", target=DirectiveTarget.TOWNSHIP, target_ids=township_2)
    api = api_as(city.workers["a"])
    listed = api.get("/api/v1/directives/").data["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert listed[0]["receipt"] == {"read_at": None, "reply": "", "replied_at": None}
    assert listed[0]["counts"] is None
    assert api.get("/api/v1/directives/?unread=true").data["count"] == 1

    with listening(user_group(dispatcher.pk)) as drain:
        with django_capture_on_commit_callbacks(execute=True):
            read = api.post(f"/api/v1/directives/{mine.pk}/read/")
        with django_capture_on_commit_callbacks(execute=True):
            api.post(f"/api/v1/directives/{mine.pk}/read/")  # again: nothing changes, nothing sent
        receipts = drain()
    assert read.status_code == 200 and read.data["receipt"]["read_at"]
    assert [event["type"] for event in receipts] == ["directive.receipt"]
    assert api.get("/api/v1/directives/?unread=true").data["count"] == 0

    replied = api.post(f"/api/v1/directives/{mine.pk}/reply/", {"text": "已收到，正在排查"}, format="json")
    assert replied.status_code == 200
    assert replied.data["receipt"]["reply"] == "已收到，正在排查"
    twice = api.post(f"/api/v1/directives/{mine.pk}/reply/", {"text": "再说一次"}, format="json")
    assert twice.status_code == 409
    assert api.post(f"/api/v1/directives/{mine.pk}/reply/", {"text": ""}, format="json").status_code == 400


def test_a_reply_marks_the_directive_read(city, dispatcher):
    directive = services.send_directive(dispatcher, text="通知", target=DirectiveTarget.ALL)
    receipt = services.reply_directive(city.workers["b"], directive, text="收到")
    assert receipt.read_at == receipt.replied_at
    with pytest.raises(Conflict):
        services.reply_directive(city.workers["b"], directive, text="收到")


def test_only_recipients_read_and_reply(api_as, city, dispatcher):
    grid_c = [city.grids["C"].pk]
    directive = services.send_directive(dispatcher, text="通知", target=DirectiveTarget.GRID, target_ids=grid_c)
    other = api_as(city.workers["a"])
    assert other.get(f"/api/v1/directives/{directive.pk}/").status_code == 404
    assert other.post(f"/api/v1/directives/{directive.pk}/read/").status_code == 404
    assert other.post(f"/api/v1/directives/{directive.pk}/reply/", {"text": "x"}, format="json").status_code == 404
    assert api_as(dispatcher).post(f"/api/v1/directives/{directive.pk}/read/").status_code == 404
    with pytest.raises(NotFound):
        services.mark_directive_read(city.workers["a"], directive)
    assert not DirectiveRecipient.objects.filter(read_at__isnull=False).exists()


def test_the_centre_sees_receipts_per_recipient_and_who_has_not_read_an_urgent_one(api_as, city, dispatcher, leader):
    deadline = timezone.now() + timedelta(hours=1)
    urgent = services.send_directive(
        dispatcher,
        text="暴雨红色预警",
        urgency=Urgency.URGENT,
        target=DirectiveTarget.TOWNSHIP,
        target_ids=[city.townships["901"].pk],
        reply_deadline=deadline,
    )
    services.send_directive(dispatcher, text="普通通知", target=DirectiveTarget.ALL)
    services.mark_directive_read(city.workers["a"], urgent)
    services.reply_directive(city.workers["b"], urgent, text="已撤离 3 户")

    api = api_as(leader)
    row = next(r for r in api.get("/api/v1/directives/").data["results"] if r["id"] == urgent.pk)
    assert row["counts"] == {"recipients": 4, "read": 2, "replied": 1, "unread": 2}
    receipts = api.get(f"/api/v1/directives/{urgent.pk}/receipts/").data["results"]
    assert len(receipts) == 4
    by_worker = {r["worker"]["id"]: r for r in receipts}
    assert by_worker[city.workers["b"].pk]["reply"] == "已撤离 3 户"
    assert by_worker[city.workers["a"].pk]["read_at"] and not by_worker[city.workers["a"].pk]["replied_at"]
    assert by_worker[city.workers["c"].pk]["phone"].startswith("139")
    assert by_worker[city.workers["c"].pk]["grids"] == [city.grids["C"].name]
    unread = api.get(f"/api/v1/directives/{urgent.pk}/receipts/?read=false").data["results"]
    assert {r["worker"]["id"] for r in unread} == {city.workers["ab"].pk, city.workers["c"].pk}

    not_read = api.get("/api/v1/directives/unread-urgent/").data["results"]
    assert {(r["directive"], r["worker"]["id"]) for r in not_read} == {
        (urgent.pk, city.workers["ab"].pk),
        (urgent.pk, city.workers["c"].pk),
    }
    assert api_as(city.workers["a"]).get(f"/api/v1/directives/{urgent.pk}/receipts/").status_code == 403
    assert api_as(city.workers["a"]).get("/api/v1/directives/unread-urgent/").status_code == 403


def test_a_receipt_without_reply_is_late_after_the_deadline(api_as, city, dispatcher):
    now = timezone.now()
    directive = services.send_directive(
        dispatcher,
        text="请于一小时内回复",
        target=DirectiveTarget.WORKERS,
        target_ids=[city.workers["a"].pk, city.workers["b"].pk],
        reply_deadline=now + timedelta(minutes=1),
        now=now - timedelta(minutes=1),
    )
    services.reply_directive(city.workers["a"], directive, text="收到", now=now - timedelta(seconds=30))
    receipts = api_as(dispatcher).get(f"/api/v1/directives/{directive.pk}/receipts/").data["results"]
    late = {r["worker"]["id"]: r["late"] for r in receipts}
    assert late == {city.workers["a"].pk: False, city.workers["b"].pk: False}
    # A deadline before the reply: the reply came late, and no reply is late too.
    Directive.objects.filter(pk=directive.pk).update(reply_deadline=now - timedelta(seconds=40))
    receipts = api_as(dispatcher).get(f"/api/v1/directives/{directive.pk}/receipts/").data["results"]
    assert {r["worker"]["id"]: r["late"] for r in receipts} == {city.workers["a"].pk: True, city.workers["b"].pk: True}
