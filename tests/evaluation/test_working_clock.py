"""The evaluation's working clock in SQL (``rounds.WORK_DAYS_CTE`` and ``rounds.WORK_AT``)
agrees with the calendar's own ``working_time_between`` on the official calendar: across
weekends, the 2026 Spring Festival and its make-up Saturdays, lunch breaks and nights."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.services.rounds import WORK_AT, WORK_DAYS_CTE, period_params
from worktime import calendar

TZ = ZoneInfo("Asia/Shanghai")
instants = st.datetimes(min_value=datetime(2026, 1, 20), max_value=datetime(2026, 3, 31), timezones=st.just(TZ))
examples = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

pytestmark = pytest.mark.django_db  # the official calendar comes with the migrations

_SQL = f"""
WITH rounds AS (SELECT %(a)s::timestamptz AS started_at),
{WORK_DAYS_CTE}
SELECT {WORK_AT.format(at="%(b)s::timestamptz", day="clock_end")}
    - {WORK_AT.format(at="%(a)s::timestamptz", day="clock_start")}
FROM work_days clock_start, work_days clock_end
WHERE clock_start.day = (%(a)s::timestamptz AT TIME ZONE %(tz)s)::date
  AND clock_end.day = (%(b)s::timestamptz AT TIME ZONE %(tz)s)::date
"""  # noqa: S608 - constant SQL


def sql_working_seconds(a: datetime, b: datetime) -> float:
    params = {**period_params(a, b + timedelta(days=1)), "a": a, "b": b}
    with connection.cursor() as cursor:
        cursor.execute(_SQL, params)
        return float(cursor.fetchone()[0])


@examples
@given(first=instants, second=instants)
def test_the_sql_clock_agrees_with_the_calendar(first, second):
    a, b = sorted((first, second))
    assert sql_working_seconds(a, b) == pytest.approx(calendar.working_time_between(a, b).total_seconds(), abs=1e-3)


def test_a_resolution_over_the_spring_festival_counts_only_working_hours():
    # Friday 13 February 2026 17:00 to Tuesday 24 February 09:00: 30 min on the 13th; the
    # 14th is a make-up working Saturday (7 h); the festival is off; the 24th, 1 h.
    a = datetime(2026, 2, 13, 17, 0, tzinfo=TZ)
    b = datetime(2026, 2, 24, 9, 0, tzinfo=TZ)
    assert sql_working_seconds(a, b) == 8.5 * 3600 == calendar.working_time_between(a, b).total_seconds()
