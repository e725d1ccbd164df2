"""The statistics tables as the page shows them and the exports write them: Chinese headers,
cells with their value, text and the link to the cases behind the number."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import CENTRE_ROLES, has_role
from stats.services import hotspots, labels
from stats.services.breakdown import Compared, Item, breakdown, compare, last_year, previous_period
from stats.services.query import TIME_DIMENSIONS, Query, case_list_url

DIMENSION_LABELS = {
    "category": gettext_lazy("Major category"),
    "subcategory": gettext_lazy("Sub-item"),
    "source": gettext_lazy("Source"),
    "township": gettext_lazy("Township"),
    "community": gettext_lazy("Community"),
    "grid": gettext_lazy("Grid"),
    "department": gettext_lazy("Lead department"),
    "status": gettext_lazy("Status"),
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week"),
    "month": gettext_lazy("Month"),
    "hour": gettext_lazy("Hour of the day"),
    "weekday": gettext_lazy("Weekday"),
}
TITLES = {
    "breakdown": gettext_lazy("Breakdown"),
    "hour_weekday": gettext_lazy("Time of day × weekday"),
    "rising_grid": gettext_lazy("Rising grids"),
    "rising_subcategory": gettext_lazy("Rising sub-items"),
    "repeats": gettext_lazy("Repeat addresses"),
}


@dataclass
class Cell:
    value: Any
    text: str = ""
    href: str = ""
    percent: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.text:
            self.text = _percent(self.value) if self.percent else ("" if self.value is None else str(self.value))


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f}%"


def _filters(items: tuple[Item, ...]) -> dict[str, str] | None:
    merged: dict[str, str] = {}
    for found in items:
        if found.filters is None:
            return None
        merged.update(found.filters)
    return merged


def _span(query: Query, items: tuple[Item, ...], start: date, end: date) -> tuple[date, date]:
    for found in items:
        if found.start and found.end:
            return max(found.start, start), min(found.end, end)
    return start, end


def count_cell(user, query: Query, items: tuple[Item, ...], count: int, period: tuple[date, date] | None = None):
    start, end = _span(query, items, *(period or (query.start, query.end)))
    href = case_list_url(user, query, _filters(items), start, end) if count else ""
    return Cell(count, href=href)


def breakdown_table(user, query: Query) -> Table:
    """The breakdown; with 同比/环比 columns unless a dimension is a time bucket."""
    names = [str(DIMENSION_LABELS[dim]) for dim in query.dims]
    if set(query.dims) & TIME_DIMENSIONS:
        table = Table("breakdown", str(TITLES["breakdown"]), [*names, _("Number of cases")])
        for row in breakdown(user, query).rows:
            table.rows.append([*(Cell(i.label) for i in row.items), count_cell(user, query, row.items, row.count)])
        return table
    headers = [*names, _("Number of cases"), _("Previous period"), _("Change on the previous period (环比)")]
    headers += [_("Same period last year"), _("Change on last year (同比)")]
    table = Table("breakdown", str(TITLES["breakdown"]), headers)
    table.rows = [compared_row(user, query, row) for row in compare(user, query)]
    return table


def compared_row(user, query: Query, row: Compared, rise: bool = False) -> list[Cell]:
    year = (last_year(query.start), last_year(query.end))
    cells = [Cell(found.label) for found in row.items]
    cells.append(count_cell(user, query, row.items, row.count))
    cells.append(count_cell(user, query, row.items, row.previous, previous_period(query)))
    if rise:
        cells.append(Cell(row.count - row.previous))
    cells.append(Cell(row.previous_change, percent=True))
    if not rise:
        cells += [count_cell(user, query, row.items, row.last_year, year), Cell(row.year_change, percent=True)]
    return cells


def rising_table(user, query: Query, dim: str) -> Table:
    headers = [str(DIMENSION_LABELS[dim]), _("Number of cases"), _("Previous period"), _("Rise")]
    table = Table(f"rising_{dim}", str(TITLES[f"rising_{dim}"]), [*headers, _("Change on the previous period (环比)")])
    table.rows = [compared_row(user, query, row, rise=True) for row in hotspots.rising(user, query, dim)]
    return table


def repeats_table(user, query: Query) -> Table:
    table = Table("repeats", str(TITLES["repeats"]), [_("Address"), _("Grid"), _("Times reported"), _("Latest cases")])
    page = "console-case" if has_role(user, *CENTRE_ROLES) else "workbench-case"
    for row in hotspots.repeats(user, query):
        links = [(number, reverse(page, args=[pk])) for pk, number in zip(row.case_ids, row.tracking_nos, strict=True)]
        cases_cell = Cell("、".join(row.tracking_nos), links=links)
        table.rows.append([Cell(row.address), Cell(row.grid), Cell(row.count), cases_cell])
    return table


def hour_weekday_table(user, query: Query) -> Table:
    """Time of day × weekday: one row per weekday, one column per hour, and the total."""
    counts = {row.items: row.count for row in breakdown(user, query.with_dims("weekday", "hour")).rows}
    grid = {(int(a.key), int(b.key)): n for (a, b), n in counts.items()}
    table = Table("hour_weekday", str(TITLES["hour_weekday"]), [_("Weekday"), *(f"{h:02d}" for h in range(24))])
    table.headers.append(_("Total"))
    for day in range(1, 8):
        values = [grid.get((day, hour), 0) for hour in range(24)]
        table.rows.append([Cell(labels.weekday_label(day)), *(Cell(n) for n in values), Cell(sum(values))])
    return table


BUILDERS: dict[str, Callable[[Any, Query], Table]] = {
    "breakdown": breakdown_table,
    "hour_weekday": hour_weekday_table,
    "rising_grid": lambda user, query: rising_table(user, query, "grid"),
    "rising_subcategory": lambda user, query: rising_table(user, query, "subcategory"),
    "repeats": repeats_table,
}


def build(name: str, user, query: Query) -> Table:
    return BUILDERS[name](user, query)
