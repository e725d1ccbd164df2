"""Property-based tests of the deadline arithmetic on the real calendar (2025 to mid-2027).

The range covers the 2026 Spring Festival with its make-up Saturdays, ordinary weekends,
and 2027, which has no data yet (Monday–Friday, provisional).
"""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worktime import calendar
from worktime.choices import TimeLimitUnit

TZ = ZoneInfo("Asia/Shanghai")
DAY = timedelta(hours=7)  # the default office hours: 08:00-12:00 and 14:30-17:30

instants = st.datetimes(min_value=datetime(2025, 6, 1), max_value=datetime(2027, 6, 30), timezones=st.just(TZ))
amounts = st.integers(min_value=1, max_value=120).map(lambda halves: Decimal(halves) / 2)
units = st.sampled_from(list(TimeLimitUnit))
durations = st.integers(min_value=1, max_value=40 * 7 * 3600).map(lambda seconds: timedelta(seconds=seconds))

examples = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def hours(amount: Decimal) -> timedelta:
    return timedelta(seconds=float(amount * 3600))


pytestmark = pytest.mark.usefixtures("official_calendar")


@examples
@given(start=instants, a=amounts, b=amounts, unit=units)
def test_the_deadline_is_monotone_in_the_limit(start, a, b, unit):
    low, high = sorted((a, b))
    assert calendar.deadline(start, low, unit).deadline <= calendar.deadline(start, high, unit).deadline


@examples
@given(start=instants, later=instants, amount=amounts, unit=units)
def test_the_deadline_is_monotone_in_the_start(start, later, amount, unit):
    early, late = sorted((start, later))
    assert calendar.deadline(early, amount, unit).deadline <= calendar.deadline(late, amount, unit).deadline


@examples
@given(start=instants, amount=amounts)
def test_deadline_minus_start_is_the_limit_in_working_time(start, amount):
    working_hours = calendar.deadline(start, amount, TimeLimitUnit.WORKING_HOURS).deadline
    assert calendar.working_time_between(start, working_hours) == hours(amount)
    working_days = calendar.deadline(start, amount, TimeLimitUnit.WORKING_DAYS).deadline
    assert calendar.working_time_between(start, working_days) == DAY * float(amount)


@examples
@given(start=instants, amount=amounts)
def test_natural_hours_are_plain_hours(start, amount):
    result = calendar.deadline(start, amount, TimeLimitUnit.NATURAL_HOURS)
    assert result.deadline - start == hours(amount)
    assert result.provisional is False


@examples
@given(start=instants, amount=amounts, unit=st.sampled_from([TimeLimitUnit.WORKING_HOURS, TimeLimitUnit.WORKING_DAYS]))
def test_a_working_deadline_falls_in_office_time_of_a_working_day(start, amount, unit):
    end = calendar.deadline(start, amount, unit).deadline
    assert calendar.is_working_day(end.date())
    # Inside a period, or exactly at the end of one (12:00 or 17:30).
    assert calendar.default_calendar().is_office_time(end - timedelta(microseconds=1))
    assert end > start


@examples
@given(start=instants, end=instants)
def test_round_trip_from_elapsed_time(start, end):
    start, end = sorted((start, end))
    elapsed = calendar.working_time_between(start, end)
    back = calendar.add_working_time(start, elapsed).deadline
    assert back <= end
    assert calendar.working_time_between(back, end) == timedelta(0)
    if calendar.default_calendar().is_office_time(end) and elapsed > timedelta(0):
        assert back == end


@examples
@given(start=instants, duration=durations)
def test_round_trip_from_a_duration(start, duration):
    end = calendar.add_working_time(start, duration).deadline
    assert calendar.working_time_between(start, end) == duration


@examples
@given(start=instants, first=durations, second=durations)
def test_adding_working_time_is_additive(start, first, second):
    step = calendar.add_working_time(start, first).deadline
    assert calendar.add_working_time(step, second).deadline == calendar.add_working_time(start, first + second).deadline


@examples
@given(start=instants, amount=amounts, unit=units)
def test_provisional_exactly_when_an_unpublished_year_is_used(start, amount, unit):
    result = calendar.deadline(start, amount, unit)
    if unit == TimeLimitUnit.NATURAL_HOURS:
        assert not result.provisional
    elif result.deadline.year >= 2027:
        assert result.provisional
    elif start.year <= 2026 and result.deadline.year <= 2026:
        assert not result.provisional
