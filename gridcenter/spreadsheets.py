"""Tables written to files the same way by every export: Excel (openpyxl, write-only, so
large lists fit) with a bold, filled, frozen header row and set column widths, times as
naive local times (Excel has no time zones) in one format; and CSV in UTF-8 with a
byte-order mark, so that Excel reads the Chinese headers. Used by the evaluation workbook,
the case lists' export and the statistics tables.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FILL = PatternFill("solid", fgColor="FFEEF2F7")
HEADER_FONT = Font(bold=True)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
CSV = "text/csv; charset=utf-8"


def local(value: datetime | None) -> datetime | None:
    """A naive local time (Excel has no time zones)."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def header(sheet: WriteOnlyWorksheet, titles: Sequence[Any], widths: Sequence[float]) -> None:
    """The frozen, filterable, bold header row (column widths must come before any row)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    sheet.append(cells)


def date_cell(sheet: WriteOnlyWorksheet, value: datetime | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=local(value))
    cell.number_format = DATETIME_FORMAT
    return cell


def table_xlsx(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, percent_columns: frozenset[int] = frozenset()
) -> bytes:
    """One sheet named ``title``: the header row, then the rows (shares in ``percent_columns``
    written as numbers shown as percents)."""
    rows = list(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header(sheet, headers, [max(10, min(40, 2 * len(str(h)) + 4)) for h in headers])
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if index in percent_columns:
                cell.number_format = PERCENT_FORMAT
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
