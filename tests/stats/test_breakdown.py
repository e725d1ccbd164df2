"""Breakdowns equal a direct count for every dimension; 同比/环比; hotspots; repeat addresses."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.choices import WallScreenFigure
from incidents.models import Case
from incidents.services.stats import summary
from stats.services import hotspots
from stats.services.breakdown import ALL_DIMENSIONS, Query, breakdown, compare, figures
from tests.stats.conftest import END, START

pytestmark = pytest.mark.django_db


def truth(case: Case, dim: str) -> str:  # noqa: PLR0911 - one line per dimension, independent of the SQL
    local = timezone.localtime(case.created_at)
    return {
        "category": lambda: case.subcategory.major.code,
        "subcategory": lambda: case.subcategory.code,
        "source": lambda: case.source,
        "township": lambda: case.grid.community.township.code,
        "community": lambda: case.grid.community.code,
        "grid": lambda: str(case.grid_id),
        "department": lambda: case.lead_department.code if case.lead_department else "",
        "status": lambda: case.status,
        "day": lambda: local.date().isoformat(),
        "week": lambda: (local.date() - timedelta(days=local.weekday())).isoformat(),
        "month": lambda: local.strftime("%Y-%m"),
        "hour": lambda: f"{local.hour:02d}",
        "weekday": lambda: str(local.isoweekday()),
    }[dim]()


@pytest.mark.parametrize("dim", ALL_DIMENSIONS)
def test_every_dimension_counts_what_a_direct_count_counts(city, mixed, dim):
    result = breakdown(city.leader, Query(START, END, (dim,)))
    counted = {row.items[0].key: row.count for row in result.rows if row.count}
    assert counted == Counter(truth(case, dim) for case in Case.objects.all())
    assert result.total == len(mixed) == 7


def test_two_dimensions_count_every_pair(city, mixed):
    result = breakdown(city.leader, Query(START, END, ("township", "status")))
    counted = {(row.items[0].key, row.items[1].key): row.count for row in result.rows}
    assert counted == Counter((truth(c, "township"), truth(c, "status")) for c in Case.objects.all())


def test_the_five_figures_are_the_wall_screens(city, mixed):
    got = figures(city.leader, Query(START, END))
    assert got == summary(city.leader)  # every case of the city is in the period
    assert got[WallScreenFigure.RECEIVED] == 7 and got[WallScreenFigure.CLOSED] == 1


def test_filters_and_the_period_narrow_the_count(city, mixed):
    by_grid = breakdown(city.leader, Query(START, END, ("grid",), {"township": [city.township.code]}))
    assert by_grid.total == 6  # D lies in the other township
    assert breakdown(city.leader, Query(START, START + timedelta(days=2), ("status",))).total == 3


def test_a_department_counts_only_its_cases(city, mixed):
    theirs = Case.objects.visible_to(city.officer_lead).count()
    assert 0 < theirs < 7
    assert breakdown(city.officer_lead, Query(START, END, ("status",))).total == theirs
    assert breakdown(city.officer_unrelated, Query(START, END, ("status",))).total == 0


def test_a_time_breakdown_has_every_bucket(city, mixed):
    days = breakdown(city.leader, Query(START, END, ("day",))).rows
    assert [row.items[0].key for row in days] == [(START + timedelta(days=n)).isoformat() for n in range(10)]
    assert [row.count for row in days][:3] == [0, 1, 2]


def test_compared_with_the_previous_period_and_last_year(city, periods):
    rows = {row.items[0].key: row for row in compare(city.leader, Query(START, END, ("grid",)))}
    a, b = rows[str(city.grid_a.pk)], rows[str(city.grid_b.pk)]
    assert (a.count, a.previous, a.last_year) == (4, 2, 1)
    assert a.previous_change == pytest.approx(1.0) and a.year_change == pytest.approx(3.0)
    assert (b.count, b.previous, b.last_year) == (1, 3, 0)
    assert b.previous_change == pytest.approx(-2 / 3) and b.year_change is None


def test_hotspots_rank_what_rose_most(city, periods):
    grids = hotspots.rising(city.leader, Query(START, END), "grid")
    assert [(row.items[0].key, row.count, row.previous) for row in grids] == [(str(city.grid_a.pk), 4, 2)]
    subs = hotspots.rising(city.leader, Query(START, END), "subcategory")
    assert [(row.items[0].key, row.count - row.previous) for row in subs] == [("0102", 3)]


def test_repeat_addresses(city, settings):
    settings.STATS_REPEAT_MIN = 3
    from tests.stats.conftest import at

    for day in (1, 2, 3):
        city.report(address=" 人民路12号", now=at(START + timedelta(days=day)))
    for day in (1, 2):
        city.report(address="建设路1号", now=at(START + timedelta(days=day)))
    found = hotspots.repeats(city.leader, Query(START, END))
    assert [(row.address, row.count) for row in found] == [("人民路12号", 3)]
    assert len(found[0].case_ids) == 3 and found[0].tracking_nos[0] == Case.objects.latest("created_at").tracking_no


def test_the_heat_map_counts_cells(city, mixed):
    cells = hotspots.heat(city.leader, Query(START, END))
    assert sum(cell[2] for cell in cells) == 7
    assert all(28.2 < cell[0] < 28.3 and 109.6 < cell[1] < 109.8 for cell in cells)


@pytest.mark.parametrize(
    "dims", [("category",), ("subcategory",), ("source",), ("month",), ("subcategory", "day"), ("weekday", "source")]
)
def test_the_maintained_counts_answer_as_the_cases_do_before_and_after_a_fold(city, mixed, dims):
    from dashboard import rollups
    from stats.services import breakdown as module
    from stats.services import tallies

    query = Query(START, END, dims)
    assert tallies.answers(city.leader, query)
    direct = sorted(module.raw_counts(city.leader, query))
    assert sorted(tallies.raw_counts(query)) == direct  # deltas not yet folded
    rollups.fold()
    assert sorted(tallies.raw_counts(query)) == direct


def test_the_maintained_counts_are_not_used_where_they_cannot_answer(city):
    from stats.services import tallies

    assert not tallies.answers(city.leader, Query(START, END, ("grid",)))
    assert not tallies.answers(city.leader, Query(START, END, ("category", "source")))
    assert not tallies.answers(city.leader, Query(START, END, ("category",), {"township": ["x"]}))
    assert not tallies.answers(city.officer_lead, Query(START, END, ("category",)))
