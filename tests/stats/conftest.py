"""The statistics tests' cases: made by the real domain functions in the test city."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from incidents.choices import CaseStatus
from tests.city import IN_A, IN_B, IN_C, IN_D

# A period of 10 days; the previous period is 19–28 February, last year's 1–10 March 2025.
START, END = date(2026, 3, 1), date(2026, 3, 10)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def mixed(city):
    """Cases in every state, source and place, reported at different hours of one week."""
    made = [
        city.case_in(CaseStatus.CLOSED, now=at(date(2026, 3, 2), 9)),
        city.case_in(CaseStatus.IN_PROGRESS, now=at(date(2026, 3, 3), 14), point=IN_B, actor=city.worker_b),
        city.case_in(CaseStatus.RESOLVED, now=at(date(2026, 3, 3), 15), subcategory="0102"),
        city.case_in(CaseStatus.REPORTED, now=at(date(2026, 3, 5), 20), point=IN_C, actor=city.workers["c"]),
        city.case_in(CaseStatus.REJECTED, now=at(date(2026, 3, 8), 8), point=IN_D, actor=city.workers["d"]),
        city.case_in(CaseStatus.DISPATCHED, now=at(date(2026, 3, 9), 23), point=IN_B, actor=city.worker_b),
        city.case_in(
            CaseStatus.REGISTERED,
            now=at(date(2026, 3, 10), 11),
            actor=city.dispatcher,
            source="hotline",
            reporter_name="市民",
            reporter_phone="13800000000",
        ),
    ]
    return made


@pytest.fixture
def periods(city):
    """Grid A: 4 cases now, 2 before, 1 last year; grid B: 1 now, 3 before, none last year.
    Sub-item 0102: 3 now in A (of the 4), 0 before."""
    plan = [
        (IN_A, "0101", date(2026, 3, 1)),
        (IN_A, "0102", date(2026, 3, 2)),
        (IN_A, "0102", date(2026, 3, 4)),
        (IN_A, "0102", date(2026, 3, 10)),
        (IN_A, "0101", date(2026, 2, 20)),
        (IN_A, "0101", date(2026, 2, 28)),
        (IN_A, "0101", date(2025, 3, 5)),
        (IN_B, "0101", date(2026, 3, 6)),
        (IN_B, "0101", date(2026, 2, 19)),
        (IN_B, "0101", date(2026, 2, 21)),
        (IN_B, "0101", date(2026, 2, 25)),
        (IN_B, "0101", date(2026, 3, 11)),  # after the period
    ]
    for point, sub, day in plan:
        actor = city.worker_a if point == IN_A else city.worker_b
        city.report(actor, point, subcategory=sub, now=at(day))
    return plan
