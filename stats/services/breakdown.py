"""Breakdowns: the cases of a period counted by one or two dimensions, and compared.

One ``GROUP BY`` over the cases' own columns (sub-item, source, grid, lead department,
status, the local day/week/month/hour/weekday of the report), answered by an index-only scan
of ``stats_case_reported`` (migration 0001: reported time, then those columns); the
coarser places and categories (township, community, major category) and the labels are
added up in Python from the few thousand reference rows. Exact by construction: it is a
count of the cases. Where the wall screen's maintained per-day counts hold the answer (every
case, by category, sub-item or source and/or a time bucket), they are read instead
(``stats.services.tallies``). ``bench/bench_stats.py`` measures it over a year of 1,000,000 cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DateField, F
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import CaseSource, CaseStatus, figures_from_counts
from stats.services import labels, tallies
from stats.services.query import ALL_DIMENSIONS, TIME_DIMENSIONS, Query, cases

__all__ = ["ALL_DIMENSIONS", "Breakdown", "Item", "Query", "Row", "breakdown", "compare", "figures"]


@dataclass(frozen=True)
class Item:
    """One value of a dimension: its key (the API's), its label, and the case-list filter that
    selects it (``None``: the case list has no such filter)."""

    key: str
    label: str = field(compare=False)
    filters: dict[str, str] | None = field(compare=False)
    start: date | None = field(default=None, compare=False)
    end: date | None = field(default=None, compare=False)


@dataclass
class Row:
    items: tuple[Item, ...]
    count: int


@dataclass
class Breakdown:
    query: Query
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _source_column(dim: str):
    tz = timezone.get_current_timezone()
    return {
        "category": F("subcategory_id"),
        "subcategory": F("subcategory_id"),
        "source": F("source"),
        "township": F("grid_id"),
        "community": F("grid_id"),
        "grid": F("grid_id"),
        "department": F("lead_department_id"),
        "status": F("status"),
        "day": TruncDate("created_at", tzinfo=tz),
        "week": TruncWeek("created_at", tzinfo=tz, output_field=DateField()),
        "month": TruncMonth("created_at", tzinfo=tz, output_field=DateField()),
        "hour": ExtractHour("created_at", tzinfo=tz),
        "weekday": ExtractIsoWeekDay("created_at", tzinfo=tz),
    }[dim]


def raw_counts(user, query: Query) -> list[tuple[tuple, int]]:
    """``[((raw key per dimension), count)]``: one GROUP BY in the database."""
    names = [f"k{index}" for index in range(len(query.dims))]
    annotations = {name: _source_column(dim) for name, dim in zip(names, query.dims, strict=True)}
    rows = cases(user, query).order_by().annotate(**annotations).values(*names).annotate(n=Count("*"))
    return [(tuple(row[name] for name in names), row["n"]) for row in rows]


def breakdown(user, query: Query) -> Breakdown:
    """The cases ``user`` may see, reported in the period and filtered, counted by ``query.dims``."""
    lookup = labels.Lookup.load(query.dims)
    summed: dict[tuple[Item, ...], int] = defaultdict(int)
    counted = tallies.raw_counts(query) if tallies.answers(user, query) else raw_counts(user, query)
    for raw, count in counted:
        summed[tuple(item(lookup, dim, value) for dim, value in zip(query.dims, raw, strict=True))] += count
    if len(query.dims) == 1 and query.dims[0] in TIME_DIMENSIONS:
        for key in _every_bucket(query):
            summed.setdefault((item(lookup, query.dims[0], key),), 0)
    rows = [Row(items, count) for items, count in summed.items()]
    return Breakdown(query, sort_rows(query.dims, rows))


def sort_rows(dims: Iterable[str], rows: list[Row]) -> list[Row]:
    """Time in order; anything else largest first (within the first dimension's largest first)."""
    dims = tuple(dims)
    first: dict[Item, int] = defaultdict(int)
    for row in rows:
        first[row.items[0]] += row.count

    def key(row: Row):
        parts = []
        for index, (dim, found) in enumerate(zip(dims, row.items, strict=True)):
            if dim in TIME_DIMENSIONS:
                parts.append((0, found.key, ""))
            else:
                weight = first[found] if index == 0 else row.count
                parts.append((-weight, "", found.label))
        return parts

    return sorted(rows, key=key)


def _every_bucket(query: Query) -> list:
    dim = query.dims[0]
    if dim == "hour":
        return list(range(24))
    if dim == "weekday":
        return list(range(1, 8))
    days = [query.start + timedelta(days=n) for n in range(query.days)]
    if dim == "week":
        return sorted({day - timedelta(days=day.weekday()) for day in days})
    if dim == "month":
        return sorted({day.replace(day=1) for day in days})
    return days


def item(lookup: labels.Lookup, dim: str, value) -> Item:  # noqa: PLR0911 - one branch per dimension
    if dim in TIME_DIMENSIONS:
        return labels.time_item(Item, dim, value)
    if dim in ("category", "subcategory"):
        code, name, major_code, major_name = lookup.subcategories[value]
        if dim == "category":
            return Item(major_code, major_name, {"major": major_code})
        return Item(code, name, {"subcategory": code})
    if dim in ("township", "community", "grid"):
        grid = lookup.grids[value]
        if dim == "township":
            return Item(grid.township_code, grid.township_name, {"township": grid.township_code})
        if dim == "community":
            return Item(grid.community_code, grid.community_name, None)
        return Item(str(value), f"{grid.name}（{grid.code}）", {"grid": str(value)})
    if dim == "department":
        if value is None:
            return Item("", _("Not dispatched"), None)
        code, name = lookup.departments[value]
        return Item(code, name, {"department": code})
    if dim == "source":
        return Item(value, str(CaseSource(value).label), {"source": value})
    return Item(value, str(CaseStatus(value).label), {"status": value})


def figures(user, query: Query) -> dict[str, int]:
    """The wall screen's five figures over the period's cases (``incidents.choices.WallScreenFigure``)."""
    counts = {row.items[0].key: row.count for row in breakdown(user, query.with_dims("status")).rows}
    return figures_from_counts(counts)


def previous_period(query: Query) -> tuple[date, date]:
    """环比: the period of the same length just before."""
    return query.start - timedelta(days=query.days), query.start - timedelta(days=1)


def last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass
class Compared:
    items: tuple[Item, ...]
    count: int
    previous: int
    last_year: int

    @property
    def previous_change(self) -> float | None:
        """环比: the change against the previous period, as a share (``None`` from nothing)."""
        return (self.count - self.previous) / self.previous if self.previous else None

    @property
    def year_change(self) -> float | None:
        """同比: the change against the same period a year before."""
        return (self.count - self.last_year) / self.last_year if self.last_year else None


def compare(user, query: Query) -> list[Compared]:
    """Each value of the (non-time) dimensions with its count, the previous period's (环比) and
    the same period's a year before (同比); values that had cases then but none now included."""
    now = breakdown(user, query)
    before = breakdown(user, query.shifted(*previous_period(query)))
    year = breakdown(user, query.shifted(last_year(query.start), last_year(query.end)))
    rows: dict[tuple[str, ...], Compared] = {}
    for source, attribute in ((now, "count"), (before, "previous"), (year, "last_year")):
        for row in source.rows:
            key = tuple(found.key for found in row.items)
            compared = rows.setdefault(key, Compared(row.items, 0, 0, 0))
            setattr(compared, attribute, row.count)
    ordered = sort_rows(query.dims, [Row(c.items, c.count) for c in rows.values()])
    return [rows[tuple(found.key for found in row.items)] for row in ordered]
