"""The department figures of ``evaluation.md`` on a hand-built month (tests/evaluation/month.py),
checked by hand."""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import subjects
from tests.evaluation.month import NOVEMBER, row


@pytest.mark.django_db
def test_a_departments_month_counts_as_the_definitions_say(november):
    cgj = row(subjects.departments(NOVEMBER), november.lead.code)
    assert {k: cgj[k] for k in ("due", "handled", "on_time", "late", "overdue_open")} == {
        # on time, late, overdue, the shirked case's second round, both rounds of the rework
        "due": 6,
        "handled": 5,
        "on_time": 4,
        "late": 1,
        "overdue_open": 1,
    }
    assert {k: cgj[k] for k in ("returned", "shirked", "rework", "urged", "extended", "on_hold")} == {
        "returned": 1,
        "shirked": 1,
        "rework": 1,
        "urged": 1,
        "extended": 0,
        "on_hold": 1,
    }
    assert (cgj["rated"], cgj["satisfied"]) == (1, 1)
    # Working time from start to resolution: 2 h, 7 h (Tue 09:00–12:00, 14:30–17:30, Wed 08:00–09:00),
    # 0.5 h, 1 h and 1.25 h (reopen 11:00 → 12:00, 14:30 → 14:45): 11.75 h over 5 rounds.
    assert cgj["avg_handling_hours"] == 2.35
    assert cgj["on_time_rate"] == 4 / 6 and cgj["handled_rate"] == 5 / 6
    assert cgj["rework_rate"] == 1 / 5 and cgj["satisfaction_rate"] == 1.0
    expected = 50 * 4 / 6 + 25 * 5 / 6 + 10 * (1 - 1 / 5) + 15 * 1.0 - 0.5 * 1 - 1 * 1
    assert cgj["score"] == pytest.approx(expected)
    assert cgj["band"] == "red" and cgj["rank"] == 1


@pytest.mark.django_db
def test_a_department_without_due_rounds_has_no_score_and_no_rank(november):
    other = row(subjects.departments(NOVEMBER), november.unrelated.code)
    assert other["due"] == 0 and other["score"] is None and other["band"] is None and other["rank"] is None
    assert other["on_time_rate"] is None


@pytest.mark.django_db
def test_the_round_due_on_the_1st_counts_in_december(november):
    december = row(subjects.departments(Period(2026, 12)), november.lead.code)
    november_row = row(subjects.departments(NOVEMBER), november.lead.code)
    # December: the case of the 30th (open at its deadline), and the held one stays out.
    assert december["due"] == 1 and december["overdue_open"] == 1 and december["on_hold"] == 1
    assert november_row["due"] == 6


@pytest.mark.django_db
def test_every_figure_lists_the_rounds_behind_it(november):
    from evaluation.services import read

    cgj = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    for figure in read.ROUND_FIGURES:
        behind = read.rounds(NOVEMBER, "departments", november.lead.code, figure)
        assert len(behind) == cgj[figure], figure
    overdue = read.rounds(NOVEMBER, "departments", november.lead.code, "overdue_open")
    assert overdue[0]["resolved_at"] is None and overdue[0]["tracking_no"].startswith("JS")
