"""Who is told about what, and never someone who may not see the case; the unread count,
the list page and the API."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client

from gridcenter.realtime import muted
from incidents import services
from incidents.choices import CaseSource, CaseStatus
from incidents.services.sweep import sweep
from notifications.choices import NotificationKind as Kind
from notifications.models import Notification
from notifications.services import mark_all_read, unread_count
from tests.city import TZ

FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)


def told(**filters) -> set[tuple[str, str]]:
    rows = Notification.objects.filter(**filters).select_related("recipient")
    return {(row.recipient.username, row.kind) for row in rows}


def dispatched(city, now=FRIDAY_16, **kwargs):
    case = city.report(now=now)
    return services.dispatch_case(
        city.dispatcher, case, department=city.lead, assisting=[city.assisting], now=now, **kwargs
    )


# --- who is told ------------------------------------------------------------------------------------


def test_a_dispatch_tells_the_lead_departments_officers_only(city, make_user):
    from departments.services import appoint

    case = dispatched(city)
    # Not the assisting or any other department, not the head (the officers handle it).
    assert told(case=case) == {("t-officer-cgj", Kind.DISPATCHED)}
    row = Notification.objects.get(case=case)
    assert case.tracking_no in row.text and row.event.action == "dispatch" and row.read_at is None
    appoint(make_user("t-officer-cgj-2"), city.lead)
    assert {name for name, _kind in told(case=dispatched(city))} == {"t-officer-cgj", "t-officer-cgj-2"}


def test_a_dispatch_to_an_officer_tells_that_officer(city):
    case = dispatched(city, officer=city.officer_lead)
    assert told(case=case) == {("t-officer-cgj", Kind.DISPATCHED)}
    services.assign_case(city.head_lead, case, officer=city.officer_lead)
    assert ("t-officer-cgj", Kind.ASSIGNED) in told(case=case, kind=Kind.ASSIGNED)


def test_urging_tells_the_officer_and_the_head_not_the_leader_who_urged(city):
    case = dispatched(city)
    services.start_case(city.officer_lead, case)
    Notification.objects.all().delete()
    services.urge_case(city.leader, case, note="群众反映强烈，请加快")
    assert told(case=case) == {("t-officer-cgj", Kind.URGED), ("t-head-cgj", Kind.URGED)}
    assert "群众反映强烈" in Notification.objects.filter(case=case).first().text


def test_the_reporting_grid_worker_is_told_when_the_case_is_resolved_and_closed(city):
    case = city.case_in(CaseStatus.RESOLVED)
    assert told(case=case, recipient=city.worker_a) == {("t-worker-a", Kind.TO_CHECK)}
    services.approve_case(city.dispatcher, case)
    assert told(case=case, recipient=city.worker_a) == {("t-worker-a", Kind.TO_CHECK), ("t-worker-a", Kind.CLOSED)}
    # A hotline case has no grid worker to tell.
    hotline = city.case_in(CaseStatus.CLOSED, actor=city.dispatcher, source=CaseSource.HOTLINE)
    assert not Notification.objects.filter(case=hotline, kind__in=[Kind.TO_CHECK, Kind.CLOSED]).exists()


def test_the_sla_steps_tell_the_officer_then_the_head_then_the_leaders(city):
    case = dispatched(city)
    services.start_case(city.officer_lead, case, now=FRIDAY_16)
    sweep(now=case.sla_warning_at)
    sweep(now=case.deadline + timedelta(minutes=1))
    sweep(now=case.sla_escalate_at)
    sla_kinds = [Kind.SLA_WARNING, Kind.SLA_OVERDUE, Kind.SLA_ESCALATED]
    assert told(case=case, kind__in=sla_kinds) == {
        ("t-officer-cgj", Kind.SLA_WARNING),
        ("t-head-cgj", Kind.SLA_OVERDUE),
        ("t-leader", Kind.SLA_ESCALATED),
    }
    assert "超期" in Notification.objects.get(case=case, kind=Kind.SLA_OVERDUE).text


def test_nobody_assigned_the_warning_goes_to_the_departments_officers(city):
    case = dispatched(city)
    sweep(now=case.sla_warning_at)
    assert told(case=case, kind=Kind.SLA_WARNING) == {("t-officer-cgj", Kind.SLA_WARNING)}


def test_never_someone_who_may_not_see_the_case(city, settings, make_user):
    from accounts.roles import Role

    case = dispatched(city)
    outsider_leader = make_user("t-leader-2", Role.LEADER)
    # The supervising list names an officer of an unrelated department by mistake, and a leader.
    settings.SLA_LEADERS = [city.officer_unrelated.username, outsider_leader.username]
    settings.SLA_STEPS = {"escalated": ("leaders", "officers", "dispatchers")}
    sweep(now=case.sla_escalate_at)
    people = {name for name, _kind in told(case=case, kind=Kind.SLA_ESCALATED)}
    assert people == {"t-leader-2", "t-officer-cgj", "t-head-cgj", "t-dispatcher", "t-dispatcher2"}
    assert not Notification.objects.filter(recipient=city.officer_unrelated).exists()
    assert not Notification.objects.filter(recipient=city.officer_assisting).exists()


def test_an_inactive_person_is_not_told_and_a_department_of_one_head_tells_its_head(city):
    city.officer_lead.is_active = False
    city.officer_lead.save()
    case = dispatched(city)
    assert told(case=case) == {("t-head-cgj", Kind.DISPATCHED)}


def test_requests_tell_the_dispatchers_and_decisions_the_one_who_asked_and_the_head(city):
    case = dispatched(city)
    Notification.objects.all().delete()
    services.request_extension(city.officer_lead, case, reason="需协调车辆", extra_amount=1)
    assert told(case=case) == {("t-dispatcher", Kind.REQUEST), ("t-dispatcher2", Kind.REQUEST)}
    services.approve_extension(city.dispatcher, case)
    assert told(case=case, kind=Kind.DECISION) == {("t-officer-cgj", Kind.DECISION), ("t-head-cgj", Kind.DECISION)}


def test_a_bulk_load_nobody_watches_tells_nobody(city):
    with muted():
        dispatched(city)
    assert not Notification.objects.exists()


# --- the unread count -----------------------------------------------------------------------------


def test_the_unread_count_is_cached_and_dropped_when_it_changes(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispatched(city)
    assert unread_count(city.officer_lead) == 1
    Notification.objects.filter(recipient=city.officer_lead).update(read_at=FRIDAY_16)  # behind its back
    assert unread_count(city.officer_lead) == 1  # cached
    with django_capture_on_commit_callbacks(execute=True):
        dispatched(city)
    assert unread_count(city.officer_lead) == 1  # the new one; the cache was dropped
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_all_read(city.officer_lead) == 1
    assert unread_count(city.officer_lead) == 0


def test_the_top_bar_shows_the_unread_count(city, client):
    dispatched(city)
    dispatched(city)
    client.force_login(city.officer_lead)
    html = client.get("/workbench/").content.decode()
    assert 'id="unread-count">2</span>' in html and "notifications/live.js" in html
    client.force_login(city.officer_unrelated)
    assert 'id="unread-count" hidden>0</span>' in client.get("/workbench/").content.decode()


# --- the list page ------------------------------------------------------------------------------------


def test_the_list_page_shows_ones_own_and_marks_them_read(city, client):
    case = dispatched(city)
    services.urge_case(city.leader, case)
    mine = Notification.objects.filter(recipient=city.officer_lead).first()
    theirs = Notification.objects.get(recipient=city.head_lead)
    assert client.get("/notifications/").status_code == 302  # sign in first
    client.force_login(city.officer_lead)
    html = client.get("/notifications/").content.decode()
    assert f'data-id="{mine.pk}"' in html and f'data-id="{theirs.pk}"' not in html
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    opened = client.get(f"/notifications/{mine.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == f"/workbench/cases/{case.pk}/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    # The officer's urge notification is still unread; the opened one is not listed as unread.
    unread_page = client.get("/notifications/?unread=1").content.decode()
    assert f'data-id="{mine.pk}"' not in unread_page and unread_page.count('class="notification unread"') == 1
    dispatched(city)
    assert client.post("/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(recipient=city.officer_lead, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=city.head_lead, read_at__isnull=True).count() == 1


def test_a_notification_opens_the_case_where_each_person_works(city):
    case = city.case_in(CaseStatus.RESOLVED)
    worker = Client()
    worker.force_login(city.worker_a)
    note = Notification.objects.get(recipient=city.worker_a)
    assert worker.get(f"/notifications/{note.pk}/open/")["Location"] == f"/m/cases/{case.pk}/"
    services.request_extension(city.officer_lead, dispatched(city), reason="需要时间", extra_amount=1)
    centre = Client()
    centre.force_login(city.dispatcher)
    note = Notification.objects.filter(recipient=city.dispatcher).latest("id")
    assert centre.get(f"/notifications/{note.pk}/open/")["Location"] == f"/console/cases/{note.case_id}/"


# --- the API ------------------------------------------------------------------------------------------


def test_the_api(city, api_as, api_client):
    dispatched(city)
    services.urge_case(city.leader, dispatched(city))
    officer = api_as(city.officer_lead)
    assert api_client.get("/api/v1/notifications/").status_code == 401
    listed = officer.get("/api/v1/notifications/").json()
    assert listed["count"] == 3 and [row["kind"] for row in listed["results"]] == ["urged", "dispatched", "dispatched"]
    assert officer.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}
    first = listed["results"][0]["id"]
    assert officer.post(f"/api/v1/notifications/{first}/read/").json() == {"unread": 2}
    assert officer.get("/api/v1/notifications/?unread=true").json()["count"] == 2
    theirs = Notification.objects.filter(recipient=city.head_lead).first()
    assert officer.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert officer.post("/api/v1/notifications/read-all/").json() == {"unread": 0, "marked": 2}
    assert api_as(city.head_lead).get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


@pytest.mark.parametrize("path", ["/api/v1/notifications/unread-count/", "/api/v1/notifications/read-all/"])
def test_the_api_needs_a_signed_in_user(api_client, db, path):
    assert api_client.post(path).status_code in (401, 405)
