"""A hand-built November in the test city, shared by the evaluation's tests (fixture
``november`` of tests/evaluation/conftest.py).

Sub-item 0101 has a limit of 4 working hours (office hours 08:00–12:00, 14:30–17:30), so a
case dispatched at 09:00 on a working day is due at 15:30 the same day.
"""

from __future__ import annotations

from datetime import datetime

from evaluation.periods import Period
from incidents import services
from tests.city import TZ

NOVEMBER = Period(2026, 11)
DECEMBER = Period(2026, 12)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


# When the beat task publishes November: Tuesday 1 December, 01:00.
PUBLISHED_AT = at(1, 1, month=12)


def dispatched(city, when: datetime, department=None):
    case = city.report(now=when)
    return services.dispatch_case(city.dispatcher, case, department=department or city.lead, now=when)


def resolved(city, case, when: datetime):
    services.start_case(city.officer_lead, case, now=when)
    return services.resolve_case(city.officer_lead, case, note="已处理", now=when)


def row(rows, key):
    return next(r for r in rows if r["key"] == key)


def build_november(city) -> dict:
    """CGJ's November: one round on time, one late, one overdue and open, one returned and
    sent back (shirked) then handled on time, one reworked, one on hold, one closed with a
    rating, and one dispatched on the 30th that comes due in December. The cases by name."""
    on_time = dispatched(city, at(2, 9))  # Mon; due 15:30
    resolved(city, on_time, at(2, 11))
    services.approve_case(city.dispatcher, on_time, satisfaction="satisfied", now=at(2, 12))

    late = dispatched(city, at(3, 9))  # due Tue 15:30, resolved Wed 09:00
    resolved(city, late, at(4, 9))

    overdue = dispatched(city, at(5, 9))  # due Thu 15:30, never resolved

    shirked = dispatched(city, at(9, 9))
    services.return_case(city.officer_lead, shirked, reason="不属于本部门职责", now=at(9, 10))
    services.dispatch_case(city.dispatcher, shirked, department=city.lead, now=at(9, 11))
    resolved(city, shirked, at(9, 11, 30))

    reworked = dispatched(city, at(10, 9))
    resolved(city, reworked, at(10, 10))
    services.reopen_case(city.dispatcher, reworked, reason="未清理干净", now=at(10, 11))
    services.resolve_case(city.officer_lead, reworked, note="已重新清理", now=at(10, 14, 45))

    held = dispatched(city, at(16, 9))
    services.request_hold(city.officer_lead, held, reason="等待施工", now=at(16, 10))
    services.approve_hold(city.dispatcher, held, now=at(16, 10, 30))

    services.urge_case(city.leader, held, now=at(16, 10, 15))
    december = dispatched(city, at(30, 16))  # due 1 December
    return {
        "on_time": on_time,
        "late": late,
        "overdue": overdue,
        "shirked": shirked,
        "reworked": reworked,
        "held": held,
        "december": december,
    }
