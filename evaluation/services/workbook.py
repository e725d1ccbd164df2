"""The evaluation of a month as an Excel workbook (openpyxl, streamed: a year of rounds fits).

One sheet per kind of subject (the rows a person may read, in rank order, with Chinese
headers, the header row frozen, filters on, the score cells in their band's colour), then
one sheet of the rounds behind the figures (one line per round and figure it counts in,
so that every number in the tables can be checked), then a sheet saying what this is.
Headers and labels are in the site's language (``LANGUAGE_CODE``), whoever asks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from accounts.names import display_name
from evaluation import columns, selectors
from evaluation.choices import BAND_COLOURS, Band
from evaluation.periods import Period
from evaluation.services import read
from gridcenter.spreadsheets import HEADER_FONT, PERCENT_FORMAT, date_cell, header, local

DECIMAL_FORMAT = "0.00"
ROUND_COLUMNS = ("subject", "key", "name", "figure", "tracking_no", "case", "started_at", "deadline", "resolved_at")
ROUND_WIDTHS = (12, 16, 18, 14, 20, 9, 18, 18, 18)

Progress = Callable[[int, int], None]


def band_fill(band: str) -> PatternFill:
    colour = BAND_COLOURS[Band(band)].lstrip("#").upper()
    return PatternFill("solid", fgColor=f"FF{colour}")


def build(
    user, period: Period, subjects: Sequence[str], *, version: int | None = None, progress: Progress | None = None
) -> bytes:
    """The workbook of ``subjects`` for ``period``, as ``user`` may read it."""
    step = progress or (lambda done, total: None)
    total = 2 * len(subjects) + 1
    book = Workbook(write_only=True)
    tables = []
    for done, subject in enumerate(subjects, start=1):
        rows = selectors.visible_rows(user, period, subject, version)
        table_sheet(book, subject, rows)
        tables.append((subject, rows))
        step(done, total)
    rounds_sheet(book, period, tables, lambda done: step(len(subjects) + done, total), version)
    about_sheet(book, user, period, version)
    buffer = io.BytesIO()
    book.save(buffer)
    step(total, total)
    return buffer.getvalue()


def table_sheet(book: Workbook, subject: str, rows: Sequence[dict]) -> None:
    sheet = book.create_sheet(str(columns.subject_label(subject))[:31])
    identity, values = columns.identity_columns(rows), columns.value_columns(rows)
    keys = ["rank", *identity, "score", "band", *values]
    widths = [6, *(18 if key == "name" else 12 for key in identity), 9, 10, *(10 for _key in values)]
    header(sheet, [columns.label(key, subject) for key in keys], widths)
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(rows) + 1}"
    for row in rows:
        sheet.append([value_cell(sheet, key, row) for key in keys])


def value_cell(sheet: WriteOnlyWorksheet, key: str, row: dict) -> WriteOnlyCell:
    value = row.get(key)
    cell = WriteOnlyCell(sheet)
    if key == "score":
        cell.value = _("No cases") if value is None else value
        cell.number_format = DECIMAL_FORMAT
        if row.get("band"):
            cell.fill = band_fill(row["band"])
    elif key == "band":
        cell.value = str(columns.band_label(value))
    elif columns.is_rate(key):
        cell.value, cell.number_format = value, PERCENT_FORMAT
    elif columns.is_hours(key):
        cell.value, cell.number_format = value, DECIMAL_FORMAT
    else:
        cell.value = value if value is None or isinstance(value, int | float) else str(value)
    return cell


def rounds_sheet(
    book: Workbook, period: Period, tables: Sequence[tuple[str, list[dict]]], step, version: int | None = None
) -> None:
    sheet = book.create_sheet(_("Rounds behind the figures")[:31])
    titles = [pgettext("evaluation", "Table"), columns.label("key"), columns.label("name")]
    titles += [pgettext("evaluation", "Figure"), _("Tracking number"), pgettext("evaluation", "Case id")]
    titles += [pgettext("evaluation", "Round started"), pgettext("evaluation", "Deadline"), _("Resolved")]
    header(sheet, titles, ROUND_WIDTHS)
    for done, (subject, rows) in enumerate(tables, start=1):
        names = {row["key"]: row.get("name", "") for row in rows}
        label = str(columns.subject_label(subject))
        for found in read.period_rounds(period, subject, version) if names else []:
            if found["key"] not in names:
                continue
            for figure in found["figures"]:
                line = [label, str(found["key"]), names[found["key"]], str(columns.label(figure, subject))]
                line += [found["tracking_no"], found["case"]]
                sheet.append(line + [date_cell(sheet, found[name]) for name in ROUND_COLUMNS[6:]])
        step(done)


def about_sheet(book: Workbook, user, period: Period, version: int | None) -> None:
    sheet = book.create_sheet(_("About")[:31])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    state = next((p for p in read.periods() if p["period"] == period.key), {})
    lines = [
        (_("Month"), period.key),
        (_("State"), columns.state_label(state.get("state"))),
        (_("Version"), version or state.get("version") or ""),
        (_("Exported by"), display_name(user)),
        (_("Exported at"), local(timezone.now())),
        (_("Definitions"), _("Every figure counts handling rounds from the case timeline; see the README.")),
    ]
    for title, value in lines:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = HEADER_FONT
        sheet.append([cell, value if isinstance(value, datetime | int) else str(value)])
