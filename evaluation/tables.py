"""The evaluation's tables as the pages show them: cells with their text, link and colour.

Built from the rows' own keys (``evaluation.columns``): a figure with rounds behind it
links to the page that lists them, the score carries its band's colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from evaluation import columns, selectors
from evaluation.choices import BAND_COLOURS, Band
from evaluation.periods import Period
from evaluation.services import read

NO_DATA = "—"
TREND_MONTHS = 12


@dataclass
class Cell:
    text: str
    href: str = ""
    colour: str = ""
    css: str = ""


@dataclass
class Table:
    subject: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def has_rounds(subject: str, figure: str) -> bool:
    """Whether the read layer lists the rounds behind this figure of this kind."""
    return figure in read.ROUND_FIGURES and subject in read.ROUND_KEYS


def rounds_url(period: Period, subject: str, key: str, figure: str, version: int | None = None) -> str:
    url = reverse("evaluation-rounds", args=[period.key, subject, key, figure])
    return f"{url}?{urlencode({'version': version})}" if version else url


def text(key: str, value: Any) -> str:
    if key == "score":
        return _("No cases") if value is None else f"{value:.2f}"
    if key == "band":
        return str(columns.band_label(value))
    if value is None:
        return NO_DATA if columns.is_rate(key) or columns.is_hours(key) else ""
    if columns.is_rate(key):
        return f"{value * 100:.1f}%"
    if columns.is_hours(key):
        return f"{value:.2f}"
    return str(value)


def cell(period: Period, subject: str, row: dict, key: str, version: int | None) -> Cell:
    value = row.get(key)
    found = Cell(text(key, value), css=key)
    if key == "score" and row.get("band"):
        found.colour = BAND_COLOURS[Band(row["band"])]
    elif isinstance(value, int) and value > 0 and has_rounds(subject, key):
        found.href = rounds_url(period, subject, str(row["key"]), key, version)
    return found


def build(period: Period, subject: str, rows: Sequence[dict], version: int | None = None) -> Table:
    keys = ["rank", *columns.identity_columns(rows), "score", "band", *columns.value_columns(rows)]
    table = Table(subject, str(columns.subject_label(subject)), [str(columns.label(key, subject)) for key in keys])
    table.rows = [[cell(period, subject, row, key, version) for key in keys] for row in rows]
    return table


def trend(user, period: Period, months: Sequence[str]) -> dict | None:
    """The departments' scores over the months up to ``period`` (at most 12), for a chart and a table."""
    if "departments" not in selectors.subjects_for(user):
        return None
    keys = sorted(month for month in months if month <= period.key)[-TREND_MONTHS:] or [period.key]
    series: dict[str, dict] = {}
    for index, month in enumerate(keys):
        year, number = (int(part) for part in month.split("-"))
        for row in selectors.visible_rows(user, Period(year, number), "departments"):
            line = series.setdefault(row["key"], {"key": row["key"], "name": row["name"], "data": [None] * len(keys)})
            line["data"][index] = None if row["score"] is None else round(row["score"], 2)
    scored = [line for line in series.values() if any(value is not None for value in line["data"])]
    return {"months": keys, "series": scored}
