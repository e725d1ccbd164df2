"""The grid-worker figures of ``evaluation.md`` on a hand-built November, checked by hand.

November 2026 has 21 working days (Mon 2 – Mon 30, no holiday). Grid A is served by ``a``
and ``ab`` (and ``retired``, inactive); the verification limit is 24 h.
"""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import read, scoring, workers
from incidents import services
from incidents.services.duplicates import merge_case
from patrols import services as field
from patrols.choices import DiaryType
from tests.evaluation.history import at, dispatched, patrol, resolved, row, self_resolved

NOVEMBER = Period(2026, 11)
DECEMBER = Period(2026, 12)
AFTER = at(3, 12, month=12)  # the figures are computed on 3 December


def username(city, key):
    return city.workers[key].username


def diary(worker, when, created=None):
    return field.create_diary_entry(
        worker, type=DiaryType.VISIT, content="走访住户", place="一组", occurred_at=when, now=created or when
    )


@pytest.fixture
def november(city, media_root):
    """Worker ``a``'s November (and the others' parts in it); see the test for each figure."""
    a, ab, b = city.workers["a"], city.workers["ab"], city.workers["b"]
    # 1: valid; resolved 11:00, checked by a at 11:30 (on time), closed satisfied.
    first = dispatched(city, at(2, 9))
    resolved(city, first, at(2, 11))
    services.verify_case(a, first, now=at(2, 11, 30))
    services.approve_case(city.dispatcher, first, satisfaction="satisfied", now=at(2, 12))
    # 2: rejected.
    services.reject_case(city.dispatcher, city.report(now=at(3, 9)), reason="不属实", now=at(3, 10))
    # 3: solved on the spot by a; nobody checks it within 24 h (asked of a and ab: missed);
    # closed on the 6th, basically satisfied.
    third = self_resolved(a, city.report(now=at(4, 9)), at(4, 9, 30))
    services.approve_case(city.dispatcher, third, satisfaction="basically_satisfied", now=at(6, 9))
    # 4: a's report at 09:00 takes in ab's earlier one (08:00: valid for ab, who was first) and
    # ab's later one (10:00: not valid).
    fourth = city.report(now=at(5, 9))
    merge_case(city.dispatcher, city.report(ab, now=at(5, 8)), into=fourth, now=at(5, 11))
    merge_case(city.dispatcher, city.report(ab, now=at(5, 10)), into=fourth, now=at(5, 11))
    # An errand (6301) a filed, solved and closed: not a report, an errand done; the centre
    # closed it before anyone checked it (the check is withdrawn).
    errand = self_resolved(a, city.report(now=at(9, 9), subcategory="6301", description="代办身份证"), at(9, 9, 30))
    services.approve_case(city.dispatcher, errand, now=at(9, 12))
    # ab's report in grid A, resolved at 10:00, checked by ab 26 hours later (late).
    seventh = dispatched(city, at(10, 9), actor=ab)
    resolved(city, seventh, at(10, 10))
    services.verify_case(ab, seventh, now=at(11, 12))
    # b's report in grid A resolved on the 30th at 20:00, checked by a on 1 December at
    # 09:00: in time, and counted in December.
    eighth = dispatched(city, at(30, 19), actor=b)
    resolved(city, eighth, at(30, 20))
    services.verify_case(a, eighth, now=at(1, 9, month=12))
    # Patrols: Mon 2nd 2 h (met); Tue 3rd 1 h (not); Wed 4th 30 min over ~3.9 km (met by
    # distance); Sat 7th 3 h (not a working day); Sun 8th 23:00 – Mon 9th 01:00 (1 h on Monday).
    patrol(a, at(2, 8), 120)
    patrol(a, at(3, 8), 60)
    patrol(a, at(4, 8), 30, legs=10)
    patrol(a, at(7, 8), 180)
    patrol(a, at(8, 23), 120)
    # Diary: two entries in November, one on 31 October, one of the 20th entered in December.
    diary(a, at(2, 15))
    diary(a, at(15, 10))
    diary(a, at(31, 10, month=10))
    diary(a, at(20, 10), created=at(2, 9, month=12))
    return city


@pytest.mark.django_db
def test_a_grid_workers_month_counts_as_the_definitions_say(november):
    a = row(workers.workers(NOVEMBER, now=AFTER), username(november, "a"))
    assert {k: a[k] for k in workers.FIGURES} == {
        "reports": 4,  # 1–4 (the errand is not a report)
        "valid_reports": 3,  # not the rejected one
        "self_resolved": 1,
        "verifications": 2,  # case 1 (on time) and case 3 (missed); the errand's was withdrawn
        "verified_on_time": 1,
        "patrol_days_met": 2,  # the 2nd and the 4th
        "working_days": 21,
        "diary_entries": 2,
        "errands_done": 1,
    }
    assert a["valid_rate"] == 0.75 and a["patrol_rate"] == 2 / 21 and a["verify_rate"] == 0.5
    assert a["satisfaction_rate"] == (1 + 0.5) / 2
    assert a["score"] == pytest.approx(40 * 0.75 + 20 * 2 / 21 + 20 * 0.5 + 20 * 0.75)
    assert a["band"] == "red" and a["name"] == "张甲"


@pytest.mark.django_db
def test_a_merged_duplicate_is_valid_only_for_the_first_reporter_and_checks_count_for_who_did_them(november):
    ab = row(workers.workers(NOVEMBER, now=AFTER), username(november, "ab"))
    # Both duplicates and case 7; the later duplicate is not valid.
    assert (ab["reports"], ab["valid_reports"]) == (3, 2)
    assert (ab["verifications"], ab["verified_on_time"]) == (2, 0)  # case 3 missed, case 7 late
    b = row(workers.workers(NOVEMBER, now=AFTER), username(november, "b"))
    assert (b["reports"], b["verifications"]) == (1, 0)  # b does not serve grid A


@pytest.mark.django_db
def test_a_check_asked_at_the_end_of_the_month_counts_when_it_settles(november):
    a = row(workers.workers(DECEMBER, now=AFTER), username(november, "a"))
    assert (a["verifications"], a["verified_on_time"], a["working_days"]) == (1, 1, 2)  # Tue 1st, Wed 2nd
    # Month to date on the 1st at 10:00: no working day has ended yet, the check is done.
    early = row(workers.workers(DECEMBER, now=at(1, 10, month=12)), username(november, "a"))
    assert (early["working_days"], early["patrol_rate"], early["verify_rate"]) == (0, None, 1.0)
    # Only the check has data: it carries the whole weight.
    assert early["score"] == 100 and early["band"] == "green"
    # Before the check was done, the request had not settled: it counts nowhere yet.
    before = row(workers.workers(DECEMBER, now=at(1, 8, month=12)), username(november, "a"))
    assert before["verifications"] == 0 and before["score"] is None and before["rank"] is None


@pytest.mark.django_db
def test_every_active_worker_has_a_row_ranked_by_score_then_valid_rate_then_username(november):
    rows = workers.workers(NOVEMBER, now=AFTER)
    keys = {r["key"] for r in rows}
    assert username(november, "retired") not in keys  # inactive, nothing in the month
    assert {username(november, k) for k in ("a", "b", "ab", "c", "d", "old")} <= keys
    c, d = row(rows, username(november, "c")), row(rows, username(november, "d"))
    # Nothing but the patrol rate (0 of 21 days): a score of 0, tied; ranked by username.
    assert c["score"] == 0 and d["score"] == 0 and c["rank"] + 1 == d["rank"]
    ranks = sorted(r["rank"] for r in rows if r["rank"] is not None)
    assert ranks == list(range(1, len(ranks) + 1))


def test_ties_go_to_the_better_valid_rate():
    rows = [
        {"key": "z", "score": 50.0, "valid_rate": 0.9},
        {"key": "a", "score": 50.0, "valid_rate": 0.5},
        {"key": "m", "score": 50.0, "valid_rate": 0.5},
        {"key": "n", "score": None, "valid_rate": None, "rank": None},
    ]
    scoring.rank(rows, tie="valid_rate")
    assert [r["rank"] for r in rows] == [1, 2, 3, None]


def test_a_rate_without_data_gives_its_weight_to_the_others():
    rated = {"valid_rate": 0.5, "patrol_rate": None, "verify_rate": 1.0, "satisfaction_rate": None}
    assert scoring.worker_score(rated) == pytest.approx((40 * 0.5 + 20 * 1.0) * 100 / 60)
    assert scoring.worker_score(dict.fromkeys(rated)) is None


@pytest.mark.django_db
def test_the_cases_behind_a_workers_figures(november):
    a = username(november, "a")
    for figure in workers.LISTED:
        found = row(read.rows(NOVEMBER, "workers"), a)[figure]
        assert len(read.rounds(NOVEMBER, "workers", a, figure)) == found, figure
    checks = read.rounds(NOVEMBER, "workers", a, "verified_on_time")
    assert checks[0]["started_at"] == at(2, 11) and checks[0]["resolved_at"] == at(2, 11, 30)
    assert checks[0]["deadline"] == at(3, 11) and checks[0]["tracking_no"].startswith("JS")
    reports = read.rounds(NOVEMBER, "workers", a, "reports")
    assert [r["deadline"] for r in reports] == [None] * 4 and reports[0]["started_at"] == at(2, 9)


def test_the_figure_names_are_the_definitions():
    from evaluation.choices import WorkerFigure

    assert [figure.value for figure in WorkerFigure] == workers.FIGURES + workers.RATES
