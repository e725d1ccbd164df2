"""The export of a case list (console 查询, department workbench) as Excel or CSV.

The export is the list on the page: the same filters and sort (the page's query, kept
in the export's parameters), the same visibility (``Case.objects.visible_to`` of the
person who asks, also in a worker), unpaged. A list of at most ``CASE_EXPORT_SYNC_ROWS``
cases downloads at once; a larger one is built by a worker and its owner is notified
(``exports``). The caller's contact is always masked in a file (138****5678, 张*):
files travel. Each export is in the access record (``exports.services.request_export``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.names import display_name
from exports.models import Export
from exports.services import Built, Progress, request_export
from gridcenter.spreadsheets import CSV, date_cell, header, table_csv
from incidents.listing import listed_cases
from incidents.privacy import mask_name, mask_phone

KIND = "case-list"
FORMATS = ("xlsx", "csv")
CHUNK = 2000
# (title, width) of each column, in the site's language when written.
COLUMNS = (
    ("Tracking number", 20),
    ("Status", 10),
    ("Major category", 14),
    ("Sub-item", 18),
    ("Source", 10),
    ("Urgency", 8),
    ("Township", 12),
    ("Grid", 16),
    ("Address", 28),
    ("Description", 40),
    ("Lead department", 16),
    ("Officer", 12),
    ("Caller", 8),
    ("Caller's phone", 14),
    ("Reported at", 17),
    ("Deadline", 17),
    ("Closed at", 17),
)
DATES = ("created_at", "deadline", "closed_at")


def titles() -> list[str]:
    return [_(title) for title, _width in COLUMNS]


def values(case) -> list[Any]:
    """One case's row (its times as aware datetimes, written by each format its own way)."""
    officer = case.assigned_officer
    return [
        case.tracking_no,
        str(case.get_status_display()),
        case.subcategory.major.name,
        case.subcategory.name,
        str(case.get_source_display()),
        str(case.get_urgency_display()),
        case.grid.community.township.name if case.grid_id else "",
        case.grid.name if case.grid_id else "",
        case.address,
        case.description,
        case.lead_department.name if case.lead_department_id else "",
        display_name(officer) if officer else "",
        mask_name(case.reporter_name),
        mask_phone(case.reporter_phone) if case.reporter_phone else "",
        *(getattr(case, name) for name in DATES),
    ]


def count_rows(user, area: str, query: str) -> int:
    return listed_cases(user, area, QueryDict(query)).cases.order_by().count()


def request(user, area: str, query: str, fmt: str) -> Export:
    """Record and start the export of the list ``area``'s page shows for ``query``."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Case list %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    return request_export(
        user,
        KIND,
        title=title,
        params={"area": area, "query": query, "format": fmt},
        rows=count_rows(user, area, query),
        sync_limit=settings.CASE_EXPORT_SYNC_ROWS,
    )


def cases(export: Export, progress: Progress) -> Iterator:
    params = export.params
    found = listed_cases(export.requested_by, params["area"], QueryDict(params["query"])).cases
    total = export.rows or 1
    for done, case in enumerate(found.iterator(chunk_size=CHUNK), start=1):
        if done % CHUNK == 0:
            progress(done, total)
        yield case


def build(export: Export, progress: Progress) -> Built:
    with translation.override(settings.LANGUAGE_CODE):
        stamp = timezone.localtime(export.created_at).strftime("%Y%m%d-%H%M")
        name = f"{_('Cases')}-{stamp}"
        if export.params.get("format") == "csv":
            return Built(f"{name}.csv", csv_bytes(export, progress), CSV)
        return Built(f"{name}.xlsx", xlsx_bytes(export, progress))


def xlsx_bytes(export: Export, progress: Progress) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    header(sheet, titles(), [width for _title, width in COLUMNS])
    dated = len(COLUMNS) - len(DATES)
    for case in cases(export, progress):
        row = values(case)
        sheet.append(row[:dated] + [date_cell(sheet, value) for value in row[dated:]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(export: Export, progress: Progress) -> bytes:
    dated = len(COLUMNS) - len(DATES)

    def rows() -> Iterator[list]:
        for case in cases(export, progress):
            row = values(case)
            stamps = [timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "" for value in row[dated:]]
            yield row[:dated] + stamps

    return table_csv(titles(), rows())
