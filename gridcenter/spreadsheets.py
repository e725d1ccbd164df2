"""Excel workbooks the way every export writes them (openpyxl, write-only: large lists fit).

A bold, filled, frozen header row with set column widths; times as naive local times
(Excel has no time zones) in one format. Used by the evaluation workbook and the case
lists' export.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

HEADER_FILL = PatternFill("solid", fgColor="FFEEF2F7")
HEADER_FONT = Font(bold=True)
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


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
