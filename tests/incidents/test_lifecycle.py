"""The lifecycle's transition functions: what each changes, what it writes, what it refuses."""

from __future__ import annotations

import re
from contextlib import ExitStack
from datetime import datetime
from decimal import Decimal

import pytest

from incidents import services
from incidents.choices import AttachmentKind, CaseAction, CaseSource, CaseStatus, Satisfaction
from incidents.exceptions import CasePermissionDenied, CaseValidationError, InvalidTransition
from incidents.models import Attachment, Case, CaseEvent
from tests.city import IN_B, TZ
from tests.realtime import listening
from worktime import calendar


def timeline(case: Case) -> list[tuple[str, str, str]]:
    return list(case.events.order_by("created_at", "id").values_list("action", "from_status", "to_status"))


def test_a_report_is_located_numbered_and_written_to_the_timeline(city):
    now = datetime(2026, 11, 27, 9, 30, tzinfo=TZ)
    first = city.report(now=now)
    second = city.report(point=IN_B, now=now)
    assert first.status == CaseStatus.REPORTED
    assert first.source == CaseSource.GRID_WORKER
    assert first.grid == city.grid_a and second.grid == city.grid_b
    assert first.reporter == city.worker_a
    assert first.urgency == city.sub.urgency
    assert re.fullmatch(r"JS20261127-\d{4}", first.tracking_no)
    assert int(second.tracking_no[-4:]) == int(first.tracking_no[-4:]) + 1
    assert timeline(first) == [(CaseAction.REPORT, "", CaseStatus.REPORTED)]
    event = first.events.get()
    assert event.actor == city.worker_a and event.actor_role == "grid_worker" and event.created_at == now


def test_the_tracking_counter_starts_again_each_local_day(city):
    late = city.report(now=datetime(2026, 11, 27, 23, 59, tzinfo=TZ))
    early = city.report(now=datetime(2026, 11, 28, 0, 1, tzinfo=TZ))
    assert late.tracking_no.startswith("JS20261127-")
    assert early.tracking_no == "JS20261128-0001"


def test_the_full_loop_through_a_department(city):
    now = datetime(2026, 11, 27, 9, 0, tzinfo=TZ)
    case = city.report(now=now)
    case = services.accept_case(city.dispatcher, case, now=now)
    assert case.status == CaseStatus.REGISTERED and case.accepted_at == now
    case = services.dispatch_case(
        city.dispatcher, case, department=city.lead, assisting=[city.assisting], note="请尽快处理", now=now
    )
    assert case.status == CaseStatus.DISPATCHED
    assert case.lead_department == city.lead
    assert list(case.assisting_departments.all()) == [city.assisting]
    assert case.time_limit_amount == Decimal("4") and case.time_limit_unit == "working_hours"
    assert case.deadline == calendar.deadline(now, Decimal("4"), "working_hours").deadline
    case = services.start_case(city.officer_lead, case, now=now)
    assert case.status == CaseStatus.IN_PROGRESS and case.assigned_officer == city.officer_lead
    case = services.resolve_case(city.officer_lead, case, note="已清运", now=now)
    assert case.status == CaseStatus.RESOLVED and case.resolved_at == now
    case = services.verify_case(city.worker_a, case, now=now)
    assert case.verified_by == city.worker_a
    case = services.approve_case(city.dispatcher, case, satisfaction=Satisfaction.SATISFIED, now=now)
    assert case.status == CaseStatus.CLOSED and case.closed_at == now and case.satisfaction == "satisfied"
    assert timeline(case) == [
        ("report", "", "reported"),
        ("accept", "reported", "registered"),
        ("dispatch", "registered", "dispatched"),
        ("start", "dispatched", "in_progress"),
        ("resolve", "in_progress", "resolved"),
        ("verify", "resolved", "resolved"),
        ("approve", "resolved", "closed"),
    ]
    dispatch = case.events.get(action=CaseAction.DISPATCH)
    assert dispatch.note == "请尽快处理"
    assert dispatch.data["department"] == "CGJ" and dispatch.data["assisting"] == ["GAJ"]


def test_dispatch_from_reported_accepts_and_dispatches_at_once_to_the_suggested_department(city):
    case = services.dispatch_case(city.dispatcher, city.report())
    assert case.status == CaseStatus.DISPATCHED
    assert case.lead_department == city.sub.lead_department
    assert case.accepted_at is not None
    assert [row[0] for row in timeline(case)] == ["report", "accept", "dispatch"]


def test_return_and_redispatch_count_against_the_department(city):
    case = city.case_in(CaseStatus.IN_PROGRESS)
    case = services.return_case(city.officer_lead, case, reason="属于公安职责")
    assert case.status == CaseStatus.RETURNED and case.return_count == 1 and case.assigned_officer is None
    returned = case.events.get(action=CaseAction.RETURN)
    assert returned.department == city.lead and returned.note == "属于公安职责"
    case = services.dispatch_case(city.dispatcher, case, department=city.assisting)
    assert case.status == CaseStatus.DISPATCHED and case.lead_department == city.assisting
    assert case.events.filter(action=CaseAction.DISPATCH).last().data["redispatch"] is True


def test_reopen_counts_a_rework_and_keeps_the_original_deadline(city):
    case = city.case_in(CaseStatus.RESOLVED)
    original = case.deadline
    later = datetime(2027, 3, 1, 9, 0, tzinfo=TZ)
    case = services.reopen_case(city.dispatcher, case, reason="现场仍有垃圾", now=later)
    assert case.status == CaseStatus.IN_PROGRESS and case.rework_count == 1
    assert case.resolved_at is None
    # The rework runs against the deadline of the dispatch: a fix that comes late is late.
    assert case.deadline == original
    assert case.is_overdue(later)
    assert case.events.get(action=CaseAction.REOPEN).data["deadline"] == original.isoformat()


def test_solved_on_the_spot_by_the_reporting_grid_worker(city, photo):
    case = city.report()
    case = services.self_resolve_case(city.worker_a, case, photos=[photo()], note="已当场清理")
    assert case.status == CaseStatus.RESOLVED
    assert case.attachments.get().kind == AttachmentKind.AFTER
    # Reopened, it goes back to the centre: no department has it yet.
    case = services.reopen_case(city.dispatcher, case, reason="未清理干净")
    assert case.status == CaseStatus.REGISTERED and case.rework_count == 1


def test_self_resolve_needs_a_photo(city):
    with pytest.raises(CaseValidationError) as error:
        services.self_resolve_case(city.worker_a, city.report(), photos=[])
    assert "photos" in error.value.errors


def test_urge_and_notes_leave_the_status_alone(city, photo):
    case = city.case_in(CaseStatus.DISPATCHED)
    case = services.urge_case(city.leader, case, note="请加快")
    assert case.urge_count == 1 and case.status == CaseStatus.DISPATCHED
    case = services.add_note_case(city.officer_assisting, case, note="公安已到场协助", photos=[photo()])
    note = case.events.get(action=CaseAction.NOTE)
    assert note.department == city.assisting and note.actor_role == "officer"
    assert note.attachments.count() == 1


def test_refusals_are_403_for_the_wrong_person_and_409_for_the_wrong_moment(city):
    case = city.case_in(CaseStatus.DISPATCHED)
    with pytest.raises(CasePermissionDenied):
        services.start_case(city.officer_assisting, case)  # assisting departments only add notes
    with pytest.raises(CasePermissionDenied):
        services.approve_case(city.officer_lead, case)
    with pytest.raises(InvalidTransition) as error:
        services.approve_case(city.dispatcher, case)
    assert error.value.status_code == 409
    assert "已派遣" in error.value.message or "Dispatched" in error.value.message


def test_events_are_published_after_commit_to_every_audience(city, django_capture_on_commit_callbacks):
    case = city.case_in(CaseStatus.REGISTERED)
    groups = ["wallscreen", "centre", f"dept.{city.lead.pk}", f"dept.{city.assisting.pk}", f"grid.{city.grid_a.pk}"]
    groups.append(f"user.{city.worker_a.pk}")
    with ExitStack() as stack:
        # A channel per group: the layer sends a channel in several groups one copy.
        drains = [stack.enter_context(listening(group)) for group in groups]
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.dispatch_case(city.dispatcher, case, department=city.lead, assisting=[city.assisting])
        assert drains[0](0.2) == []  # nothing before the commit
        for callback in callbacks:
            callback()
        heard = [[event for event in drain() if event["data"]["case"] == case.pk] for drain in drains]
    assert [len(events) for events in heard] == [1] * len(groups)
    events = [events[0] for events in heard]
    assert {event["type"] for event in events} == {"case.dispatch"}
    assert events[0]["data"]["status"] == "dispatched" and events[0]["data"]["tracking_no"] == case.tracking_no


def test_a_refused_step_writes_nothing(city):
    case = city.case_in(CaseStatus.REPORTED)
    before = CaseEvent.objects.count(), Attachment.objects.count()
    with pytest.raises(InvalidTransition):
        services.approve_case(city.dispatcher, case, note="x")
    assert (CaseEvent.objects.count(), Attachment.objects.count()) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED
