"""Township, community and grid figures (属地) on a hand-built November, checked by hand.

Grids A and B form community 1, C community 2 (both township 901), D community 3 (902).
Active workers: A ``a`` and ``ab``; B ``b`` and ``ab``; C ``c``; D ``d``. Populations are set
below: A 2,000, B 1,000, C 500, D not known.
"""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import read, subjects
from grids.models import Grid
from incidents import services
from incidents.choices import CaseSource
from incidents.models import Case
from tests.city import IN_B, IN_C, IN_D
from tests.evaluation.history import at, dispatched, resolved, row

NOVEMBER = Period(2026, 11)


@pytest.fixture
def november(city, media_root):
    for letter, population in {"A": 2000, "B": 1000, "C": 500, "D": 0}.items():
        Grid.objects.filter(pk=city.grids[letter].pk).update(population=population)
    # A: a's report, handled on time by CGJ.
    resolved(city, dispatched(city, at(2, 9)), at(2, 11))
    # B: b's report sent to GAJ, never handled (due 15:30, overdue).
    dispatched(city, at(3, 9), department=city.assisting, actor=city.workers["b"], point=IN_B)
    # C: a hotline call, rejected (a case, not a worker's report).
    call = city.report(city.dispatcher, IN_C, now=at(4, 9), source=CaseSource.HOTLINE, reporter_phone="13800000000")
    services.reject_case(city.dispatcher, call, reason="不属实", now=at(4, 10))
    # A: an errand (neither a report nor a case here).
    city.report(now=at(5, 9), subcategory="6301", description="代办身份证")
    # D: d's report handled late by CGJ (due Fri 6th 15:30, resolved Mon 9th).
    late = dispatched(city, at(6, 9), actor=city.workers["d"], point=IN_D)
    resolved(city, late, at(9, 9))
    return city


def code(city, letter):
    return city.grids[letter].code


@pytest.mark.django_db
def test_grids_count_the_rounds_of_their_cases_whatever_department_handled_them(november):
    rows = read.rows(NOVEMBER, "grids")
    # In rank order: A (on time), D (late), B (overdue).
    assert [r["key"] for r in rows if r["due"]] == [code(november, "A"), code(november, "D"), code(november, "B")]
    a, b, c, d = (row(rows, code(november, letter)) for letter in "ABCD")
    assert (a["due"], a["on_time"], a["score"], a["band"], a["rank"]) == (1, 1, 100, "green", 1)
    assert (b["due"], b["overdue_open"], b["on_time_rate"]) == (1, 1, 0)
    assert (d["due"], d["late"]) == (1, 1)
    assert c["due"] == 0 and c["score"] is None and c["rank"] is None
    assert (a["reports_per_worker"], b["reports_per_worker"], c["reports_per_worker"], d["reports_per_worker"]) == (
        0.5,
        0.5,
        0.0,
        1.0,
    )
    assert (a["cases_per_1000"], b["cases_per_1000"], c["cases_per_1000"]) == (0.5, 1.0, 2.0)
    assert d["cases_per_1000"] is None  # population not known
    assert a["community"] == november.communities["1"].code


@pytest.mark.django_db
def test_communities_and_townships_add_up_their_grids(november):
    one = row(read.rows(NOVEMBER, "communities"), november.communities["1"].code)
    assert (one["due"], one["on_time"], one["overdue_open"]) == (2, 1, 1)
    assert one["reports_per_worker"] == 2 / 3  # a, b, ab (ab once)
    assert one["cases_per_1000"] == 2 * 1000 / 3000
    assert one["township"] == november.township.code
    townships = read.rows(NOVEMBER, "townships")
    first, second = row(townships, "433101901"), row(townships, "433101902")
    assert (first["due"], first["reports_per_worker"], first["cases_per_1000"]) == (2, 2 / 4, 3 * 1000 / 3500)
    assert (second["due"], second["late"], second["cases_per_1000"]) == (1, 1, None)
    assert subjects.townships is not None and read.SUBJECTS["townships"](NOVEMBER) == townships


@pytest.mark.django_db
def test_a_case_of_an_older_map_counts_under_its_own_grid_code(november):
    case = dispatched(november, at(10, 9))
    Case.objects.filter(pk=case.pk).update(grid=november.old_grid)  # filed before the map was redrawn
    rows = read.rows(NOVEMBER, "grids")
    old = row(rows, november.old_grid.code)
    assert (old["due"], old["overdue_open"], old["name"]) == (1, 1, "旧网格")
    assert row(read.rows(NOVEMBER, "communities"), november.communities["1"].code)["due"] == 3


@pytest.mark.django_db
def test_the_rounds_behind_an_areas_figures(november):
    for kind, key in (("grids", code(november, "B")), ("communities", november.communities["1"].code)):
        found = row(read.rows(NOVEMBER, kind), key)
        for figure in read.ROUND_FIGURES:
            assert len(read.rounds(NOVEMBER, kind, key, figure)) == found[figure], (kind, figure)
    (overdue,) = read.rounds(NOVEMBER, "grids", code(november, "B"), "overdue_open")
    assert overdue["resolved_at"] is None and overdue["started_at"] == at(3, 9)
