"""Duplicates: suggestions on intake, merging a report into an open case, following it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from incidents import services
from incidents.choices import CaseAction, CaseStatus
from incidents.exceptions import CaseNotFound, CasePermissionDenied, CaseValidationError, InvalidTransition
from incidents.models import Case, CaseEvent, SubCategory
from incidents.services.duplicates import duplicate_candidates, merge_case
from tests.city import IN_A, TZ
from tests.realtime import listening

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)  # a Tuesday morning
# About 22 m and 110 m north of IN_A.
NEAR = (IN_A[0] + 0.0002, IN_A[1])
FAR = (IN_A[0] + 0.001, IN_A[1])


def candidates(case: Case) -> list[int]:
    return [candidate.case.pk for candidate in duplicate_candidates(Case.objects.get(pk=case.pk))]


def test_open_cases_of_the_same_sub_item_nearby_and_recent_are_suggested(city):
    original = city.report(now=NOW - timedelta(days=2))
    services.dispatch_case(city.dispatcher, original, now=NOW - timedelta(days=2))
    report = city.report(city.worker_b, point=NEAR, now=NOW)
    suggested = duplicate_candidates(Case.objects.get(pk=report.pk))
    assert [c.case.pk for c in suggested] == [original.pk]
    assert 15 < suggested[0].distance_m < 30


def test_what_is_not_suggested(city, settings):
    settings.CASE_DUPLICATE_DAYS = 7
    far = city.report(point=FAR, now=NOW - timedelta(hours=1))
    old = city.report(now=NOW - timedelta(days=8))
    other_item = city.report(subcategory="0102", now=NOW - timedelta(hours=1))
    closed = city.case_in(CaseStatus.CLOSED)  # now: after the report below
    rejected = services.reject_case(city.dispatcher, city.report(now=NOW - timedelta(hours=2)), reason="无效")
    later = city.report(now=NOW + timedelta(hours=1))
    report = city.report(point=NEAR, now=NOW)
    found = candidates(report)
    for case in (far, old, other_item, closed, rejected, later, report):
        assert case.pk not in found
    assert found == []


def test_the_radius_is_a_setting_of_the_sub_item(city):
    original = city.report(point=FAR, now=NOW - timedelta(hours=1))
    report = city.report(now=NOW)
    assert candidates(report) == []
    SubCategory.objects.filter(code="0101").update(duplicate_radius_m=150)
    assert candidates(report) == [original.pk]


def test_a_dispatched_case_gets_no_suggestions(city):
    city.report(now=NOW - timedelta(hours=1))
    case = city.case_in(CaseStatus.DISPATCHED)
    assert candidates(case) == []


def test_merging_closes_the_report_links_it_and_writes_both_timelines(city):
    original = city.case_in(CaseStatus.IN_PROGRESS)
    report = city.report(city.worker_b, point=NEAR, now=NOW)
    with listening("wallscreen") as drain:
        merged = merge_case(city.dispatcher, report, into=original.pk, now=NOW + timedelta(minutes=10))
        events = drain()
    assert merged.status == CaseStatus.REJECTED and merged.duplicate_of == original
    assert original.tracking_no in merged.reject_reason
    row = merged.events.get(action=CaseAction.MERGE)
    assert (row.from_status, row.to_status) == (CaseStatus.REPORTED, CaseStatus.REJECTED)
    assert row.data["into"] == original.tracking_no and row.actor == city.dispatcher
    other = original.events.get(action=CaseAction.MERGE)
    assert (other.from_status, other.to_status) == (CaseStatus.IN_PROGRESS, CaseStatus.IN_PROGRESS)
    assert other.data["duplicate"] == report.tracking_no
    original.refresh_from_db()
    assert original.status == CaseStatus.IN_PROGRESS  # the original goes on as it was
    assert list(original.duplicates.all()) == [merged]
    assert list(original.followers.all()) == [city.worker_b]
    # Events are published only after commit: inside the test's transaction none went out.
    assert events == []


def test_the_duplicates_reporter_follows_and_sees_the_original(city):
    original = city.case_in(CaseStatus.DISPATCHED)
    report = city.report(city.worker_b, point=NEAR, now=NOW)
    assert not Case.objects.visible_to(city.worker_b).filter(pk=original.pk).exists()
    merge_case(city.dispatcher, report, into=original, now=NOW)
    assert Case.objects.visible_to(city.worker_b).filter(pk=original.pk).exists()
    # Following gives sight of that case only, and to nobody else.
    assert set(Case.objects.visible_to(city.worker_b).values_list("pk", flat=True)) == {original.pk, report.pk}
    assert not Case.objects.visible_to(city.officer_unrelated).filter(pk=original.pk).exists()


def test_a_registered_report_can_be_merged_and_a_dispatched_one_cannot(city):
    original = city.case_in(CaseStatus.DISPATCHED)
    registered = services.accept_case(city.dispatcher, city.report(point=NEAR, now=NOW), now=NOW)
    assert merge_case(city.dispatcher, registered, into=original).status == CaseStatus.REJECTED
    dispatched = city.case_in(CaseStatus.DISPATCHED)
    with pytest.raises(InvalidTransition):
        merge_case(city.dispatcher, dispatched, into=original)


@pytest.mark.parametrize("target_status", [CaseStatus.CLOSED, CaseStatus.REJECTED])
def test_only_an_open_case_takes_a_duplicate(city, target_status):
    target = city.case_in(target_status)
    report = city.report(now=NOW)
    with pytest.raises(CaseValidationError) as error:
        merge_case(city.dispatcher, report, into=target)
    assert "into" in error.value.errors
    assert Case.objects.get(pk=report.pk).status == CaseStatus.REPORTED
    assert not CaseEvent.objects.filter(action=CaseAction.MERGE).exists()


def test_bad_targets_are_field_errors(city):
    report = city.report(now=NOW)
    with pytest.raises(CaseValidationError) as itself:
        merge_case(city.dispatcher, report, into=report)
    assert "into" in itself.value.errors
    with pytest.raises(CaseValidationError) as missing:
        merge_case(city.dispatcher, report, into=10**9)
    assert "into" in missing.value.errors
    original = city.case_in(CaseStatus.DISPATCHED)
    first = city.report(now=NOW)
    merge_case(city.dispatcher, first, into=original)
    with pytest.raises(CaseValidationError):  # a duplicate is not an open case
        merge_case(city.dispatcher, report, into=first)


def test_only_the_centre_merges(city):
    original = city.case_in(CaseStatus.DISPATCHED)
    report = city.report(now=NOW)
    for person in (city.leader, city.worker_a):
        with pytest.raises(CasePermissionDenied):
            merge_case(person, report, into=original)
    with pytest.raises(CaseNotFound):  # an officer does not even see a new report
        merge_case(city.officer_lead, report, into=original)
    assert Case.objects.get(pk=report.pk).status == CaseStatus.REPORTED


def test_merge_is_offered_to_the_centre_on_new_reports(city):
    report = city.report(now=NOW)
    assert CaseAction.MERGE in services.available_actions(city.dispatcher, report)
    assert CaseAction.MERGE not in services.available_actions(city.leader, report)
    assert CaseAction.MERGE not in services.available_actions(city.dispatcher, city.case_in(CaseStatus.DISPATCHED))


def test_a_merge_on_time_and_a_late_one_are_recorded(city, settings):
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 30
    original = city.case_in(CaseStatus.DISPATCHED)
    quick = city.report(now=NOW)
    slow = city.report(now=NOW)
    merge_case(city.dispatcher, quick, into=original, now=NOW + timedelta(minutes=10))
    merge_case(city.dispatcher, slow, into=original, now=NOW + timedelta(minutes=45))
    assert quick.events.get(action=CaseAction.MERGE).data["late"] is False
    assert slow.events.get(action=CaseAction.MERGE).data["late"] is True
    # The original's row is a remark, not the end of a stage of its own.
    assert all("stage" not in row.data for row in original.events.filter(action=CaseAction.MERGE))
