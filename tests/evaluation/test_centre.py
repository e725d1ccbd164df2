"""The centre's own figures of ``evaluation.md`` on a hand-built November, checked by hand.

The centre's limits are 30 working minutes to accept a report and 30 to review a resolved
case (office hours 08:00–12:00, 14:30–17:30).
"""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import centre, read
from gridcenter.errors import DomainValidationError
from incidents import services
from tests.evaluation.history import at, resolved

NOVEMBER = Period(2026, 11)


@pytest.fixture
def november(city):
    d = city.dispatcher
    # 1: accepted after 20 minutes, dispatched; resolved, approved 20 minutes later.
    first = services.accept_case(d, city.report(now=at(2, 9)), now=at(2, 9, 20))
    services.dispatch_case(d, first, department=city.lead, now=at(2, 9, 20))
    resolved(city, first, at(2, 11))
    services.approve_case(d, first, now=at(2, 11, 20))
    # 2: dispatched straight from "reported" an hour later (accepted late); CGJ returns it and
    # the centre sends it to GAJ: a misdispatch.
    second = services.dispatch_case(d, city.report(now=at(2, 9)), department=city.lead, now=at(2, 10))
    services.return_case(city.officer_lead, second, reason="不属于本部门职责", now=at(2, 10, 30))
    services.dispatch_case(d, second, department=city.assisting, now=at(2, 11))
    # 3: returned and sent to CGJ again (CGJ shirked: not the centre's mistake); resolved at
    # 10:30 and reopened at 14:45, 90 working minutes later (late).
    third = services.dispatch_case(d, city.report(now=at(3, 9)), department=city.lead, now=at(3, 9))
    services.return_case(city.officer_lead, third, reason="不属于本部门职责", now=at(3, 9, 30))
    services.dispatch_case(d, third, department=city.lead, now=at(3, 10))
    resolved(city, third, at(3, 10, 30))
    services.reopen_case(d, third, reason="未处理完", now=at(3, 14, 45))
    # A rejected report: not accepted.
    services.reject_case(d, city.report(now=at(4, 9)), reason="不属实", now=at(4, 9, 10))
    # 4: returned on the 30th, sent elsewhere on 1 December: not yet a misdispatch in November.
    fourth = services.dispatch_case(d, city.report(now=at(30, 15)), department=city.lead, now=at(30, 15))
    services.return_case(city.officer_lead, fourth, reason="不属于本部门职责", now=at(30, 16))
    services.dispatch_case(d, fourth, department=city.assisting, now=at(1, 9, month=12))
    return city


@pytest.mark.django_db
def test_the_centres_month_counts_as_the_definitions_say(november):
    (row,) = centre.centre(NOVEMBER)
    assert row == {
        "key": "centre",
        "name": "指挥中心",
        "accepted": 4,
        "accepted_on_time": 3,  # not case 2 (60 minutes)
        "dispatched": 6,  # 1, 2 twice, 3 twice, 4
        "misdispatched": 1,  # case 2
        "dispatch_accuracy": 1 - 1 / 6,
        "reviewed": 2,
        "reviewed_on_time": 1,  # not the late reopen
        "score": None,
        "band": None,
        "rank": None,
    }


@pytest.mark.django_db
def test_a_month_without_dispatches_has_no_accuracy_and_december_has_its_own_dispatch(november):
    assert centre.centre(Period(2026, 10))[0]["dispatch_accuracy"] is None
    (december,) = centre.centre(Period(2026, 12))
    assert (december["dispatched"], december["misdispatched"], december["dispatch_accuracy"]) == (1, 0, 1.0)


@pytest.mark.django_db
def test_the_cases_behind_the_centres_figures(november):
    (row,) = read.rows(NOVEMBER, "centre")
    for figure in centre.CONDITIONS:
        assert len(read.rounds(NOVEMBER, "centre", "centre", figure)) == row[figure], figure
    (wrong,) = read.rounds(NOVEMBER, "centre", "centre", "misdispatched")
    assert wrong["started_at"] == at(2, 10) and wrong["deadline"] is not None and wrong["resolved_at"] is None
    reviews = read.rounds(NOVEMBER, "centre", "centre", "reviewed")
    assert [(r["started_at"], r["resolved_at"]) for r in reviews] == [
        (at(2, 11), at(2, 11, 20)),
        (at(3, 10, 30), at(3, 14, 45)),
    ]
    accepted = read.rounds(NOVEMBER, "centre", "centre", "accepted")
    assert (accepted[0]["started_at"], accepted[0]["resolved_at"]) == (at(2, 9), at(2, 9, 20))
    with pytest.raises(DomainValidationError) as refused:
        read.rounds(NOVEMBER, "centre", "centre", "dispatch_accuracy")
    assert "figure" in refused.value.errors


def test_the_figure_names_are_the_definitions():
    from evaluation.choices import CentreFigure

    assert [figure.value for figure in CentreFigure] == centre.FIGURES
