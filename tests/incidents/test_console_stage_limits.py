"""The centre's own stage limits: accept within 30 working minutes, review within 30."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from incidents import services
from incidents.choices import CaseAction, CaseStatus
from incidents.services import stage_limits
from tests.city import TZ

TUESDAY_9 = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
FRIDAY_17 = datetime(2026, 11, 27, 17, 0, tzinfo=TZ)  # office closes at 17:30
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 30
    settings.CENTRE_REVIEW_LIMIT_MINUTES = 30


def accept_row(case):
    return case.events.get(action=CaseAction.ACCEPT)


def test_an_acceptance_within_the_limit_is_on_time(city):
    case = city.report(now=TUESDAY_9)
    services.accept_case(city.dispatcher, case, now=TUESDAY_9 + timedelta(minutes=29))
    assert accept_row(case).data == {"stage": "accept", "stage_minutes": 29.0, "stage_limit_minutes": 30, "late": False}


def test_a_late_acceptance_is_recorded(city):
    case = city.report(now=TUESDAY_9)
    services.accept_case(city.dispatcher, case, now=TUESDAY_9 + timedelta(minutes=31))
    assert accept_row(case).data["late"] is True
    assert list(stage_limits.late_steps()) == [accept_row(case)]


def test_only_working_time_counts(city):
    # Friday 17:00 → Monday 08:20: 30 min on Friday + 20 min on Monday = 50 working minutes.
    late = city.report(now=FRIDAY_17)
    services.accept_case(city.dispatcher, late, now=MONDAY_8 + timedelta(minutes=20))
    assert accept_row(late).data["stage_minutes"] == 50.0 and accept_row(late).data["late"] is True
    # Friday 18:00 (after hours) → Monday 08:20: 20 working minutes, on time.
    weekend = city.report(now=FRIDAY_17 + timedelta(hours=1))
    services.accept_case(city.dispatcher, weekend, now=MONDAY_8 + timedelta(minutes=20))
    assert accept_row(weekend).data["stage_minutes"] == 20.0 and accept_row(weekend).data["late"] is False


def test_accept_and_dispatch_in_one_step_records_the_acceptance(city):
    case = city.report(now=TUESDAY_9)
    services.dispatch_case(city.dispatcher, case, now=TUESDAY_9 + timedelta(minutes=40))
    assert accept_row(case).data["late"] is True
    assert "stage" not in case.events.get(action=CaseAction.DISPATCH).data


def test_a_rejection_ends_the_acceptance_stage_too(city):
    case = city.report(now=TUESDAY_9)
    services.reject_case(city.dispatcher, case, reason="无效", now=TUESDAY_9 + timedelta(minutes=5))
    assert case.events.get(action=CaseAction.REJECT).data["stage"] == "accept"
    # Rejecting a case the centre had already accepted is not the acceptance stage.
    registered = services.accept_case(city.dispatcher, city.report(now=TUESDAY_9), now=TUESDAY_9)
    services.reject_case(city.dispatcher, registered, reason="无效", now=TUESDAY_9 + timedelta(hours=3))
    assert "stage" not in registered.events.get(action=CaseAction.REJECT).data


def _resolved(city, at):
    case = city.report(now=at - timedelta(hours=1))
    services.dispatch_case(city.dispatcher, case, now=at - timedelta(hours=1))
    services.start_case(city.officer_lead, case, now=at - timedelta(minutes=30))
    return services.resolve_case(city.officer_lead, case, note="已处理", now=at)


def test_reviews_are_measured_from_the_resolution(city):
    on_time = _resolved(city, TUESDAY_9 + timedelta(hours=1))
    services.approve_case(city.dispatcher, on_time, now=TUESDAY_9 + timedelta(hours=1, minutes=30))
    row = on_time.events.get(action=CaseAction.APPROVE)
    assert row.data["stage"] == "review" and row.data["stage_minutes"] == 30.0 and row.data["late"] is False

    late = _resolved(city, TUESDAY_9 + timedelta(hours=1))
    services.reopen_case(city.dispatcher, late, reason="未整改", now=TUESDAY_9 + timedelta(hours=2))
    row = late.events.get(action=CaseAction.REOPEN)
    assert row.data["stage"] == "review" and row.data["stage_minutes"] == 60.0 and row.data["late"] is True


def test_the_second_review_counts_from_the_second_resolution(city):
    case = _resolved(city, TUESDAY_9 + timedelta(hours=1))
    services.reopen_case(city.dispatcher, case, reason="未整改", now=TUESDAY_9 + timedelta(hours=1, minutes=10))
    services.resolve_case(city.officer_lead, case, note="已整改", now=TUESDAY_9 + timedelta(hours=2))
    services.approve_case(city.dispatcher, case, now=TUESDAY_9 + timedelta(hours=2, minutes=10))
    assert case.events.get(action=CaseAction.APPROVE).data["stage_minutes"] == 10.0


def test_the_limit_is_a_setting_and_the_row_keeps_the_limit_of_its_time(city, settings):
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 60
    case = city.report(now=TUESDAY_9)
    services.accept_case(city.dispatcher, case, now=TUESDAY_9 + timedelta(minutes=45))
    settings.CENTRE_ACCEPT_LIMIT_MINUTES = 30
    assert accept_row(case).data["late"] is False and accept_row(case).data["stage_limit_minutes"] == 60


def test_waiting_measures_a_case_still_in_a_queue(city):
    case = city.report(now=TUESDAY_9)
    wait = stage_limits.waiting(case, TUESDAY_9 + timedelta(minutes=45))
    assert wait.stage == "accept" and wait.minutes == 45.0 and wait.late
    assert not stage_limits.waiting(case, TUESDAY_9 + timedelta(minutes=10)).late
    resolved = _resolved(city, TUESDAY_9 + timedelta(hours=1))
    assert stage_limits.waiting(resolved, TUESDAY_9 + timedelta(hours=1, minutes=5)).stage == "review"
    assert stage_limits.waiting(city.case_in(CaseStatus.DISPATCHED), TUESDAY_9) is None


def test_the_settings_reject_bad_values():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "gridcenter.settings",
            "CENTRE_ACCEPT_LIMIT_MINUTES": "0",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CENTRE_ACCEPT_LIMIT_MINUTES" in result.stderr
