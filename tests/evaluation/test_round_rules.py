"""The rounds' rules for holds, late grants and late reworks (``evaluation.services.rounds``),
on hand-built histories of CGJ checked by hand: each keeps every round counting once.

Sub-item 0101 allows 4 working hours: dispatched at 09:00 on a working day, due at 15:30.
"""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import read, subjects
from incidents import services
from tests.evaluation.history import at, dispatched, resolved, row

OCTOBER, NOVEMBER = Period(2026, 10), Period(2026, 11)


@pytest.fixture
def history(city):
    officer, centre = city.officer_lead, city.dispatcher
    # 1: handled on time on Fri 30 October, reopened on Mon 2 November against its deadline
    # of 30 October: the rework round comes due when it starts, in November.
    first = dispatched(city, at(30, 9, month=10))
    resolved(city, first, at(30, 10, month=10))
    services.reopen_case(centre, first, reason="未处理完", now=at(2, 9))
    # 2: parked before its deadline and resolved while parked: due at its resolution, on time.
    second = dispatched(city, at(3, 9))
    services.request_hold(officer, second, reason="等待施工", now=at(3, 10))
    services.approve_hold(centre, second, now=at(3, 10, 30))
    resolved(city, second, at(5, 9))
    # 3: put on hold after it came due: it counts (overdue) all the same, and is on hold.
    third = dispatched(city, at(4, 9))
    services.request_hold(officer, third, reason="等待施工", now=at(5, 9))
    services.approve_hold(centre, third, now=at(5, 9, 30))
    # 4: due on 30 October; more time granted on 2 November (too late), then more again
    # before the deadline the first grant would have given: neither un-makes October.
    fourth = dispatched(city, at(30, 9, month=10))
    for when, days in ((at(2, 9), 3), (at(3, 9), 10)):
        services.request_extension(
            officer, fourth, reason="需要时间", extra_amount=days, extra_unit="working_days", now=when
        )
        services.approve_extension(centre, fourth, now=when)
    return city


@pytest.mark.django_db
def test_each_round_counts_once_in_the_month_it_came_due(history):
    october = row(subjects.departments(OCTOBER), history.lead.code)
    assert {k: october[k] for k in ("due", "on_time", "overdue_open")} == {"due": 2, "on_time": 1, "overdue_open": 1}
    november = row(subjects.departments(NOVEMBER), history.lead.code)
    assert {k: november[k] for k in ("due", "handled", "on_time", "overdue_open", "on_hold", "rework", "extended")} == {
        "due": 3,  # the rework round, the one resolved while parked, the one parked after it came due
        "handled": 1,
        "on_time": 1,
        "overdue_open": 2,
        "on_hold": 1,
        "rework": 1,
        "extended": 2,  # both grants were made in November, though neither moved a deadline
    }


@pytest.mark.django_db
def test_the_rounds_behind_the_new_rules(history):
    (parked,) = read.rounds(NOVEMBER, "departments", history.lead.code, "on_time")
    assert parked["resolved_at"] == at(5, 9) and parked["deadline"] == at(5, 9)  # its clock was stopped
    overdue = read.rounds(NOVEMBER, "departments", history.lead.code, "overdue_open")
    assert [r["started_at"] for r in overdue] == [at(2, 9), at(4, 9)]
    assert overdue[0]["deadline"] == at(30, 15, 30, month=10)
