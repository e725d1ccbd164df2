"""Writing a table to a file, the same way for every app: an Excel sheet (openpyxl, streamed)
with a bold, filled, frozen and filterable header row, and CSV (UTF-8 with a byte-order mark,
so that Excel reads the Chinese headers)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FILL = PatternFill("solid", fgColor="FFEEF2F7")
HEADER_FONT = Font(bold=True)
PERCENT_FORMAT = "0.0%"
CSV = "text/csv; charset=utf-8"


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
