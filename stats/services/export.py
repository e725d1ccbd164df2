"""The statistics tables as Excel or CSV downloads: asking for one (``request``) and building
it (``build``, the ``stats`` builder of the ``exports`` app, registered in ``StatsConfig.ready``).

A period up to ``STATS_MAX_DAYS`` is counted in the request to learn the table's size: up to
``STATS_EXPORT_SYNC_ROWS`` rows the file comes at once, else a worker builds it and the person
is notified. A longer period (up to ``STATS_EXPORT_MAX_DAYS``) always goes to a worker.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from exports.models import Export
from exports.services import Built, Progress, request_export
from gridcenter.spreadsheets import CSV, table_csv, table_xlsx
from stats.services import tables
from stats.services.query import Query

KIND = "stats"
FORMATS = ("xlsx", "csv")


def _title(table: str, query: Query) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        name = str(tables.TITLES.get(table, table))
        return _("Statistics %(start)s – %(end)s: %(table)s") % {
            "start": query.start.isoformat(),
            "end": query.end.isoformat(),
            "table": name,
        }


def request(user, table: str, fmt: str, query: Query) -> Export:
    if query.days <= settings.STATS_MAX_DAYS:
        rows = len(tables.build(table, user, query).rows)
    else:
        rows = settings.STATS_EXPORT_SYNC_ROWS + 1  # too long to count in the request: a worker's job
    return request_export(
        user,
        KIND,
        title=_title(table, query),
        params={"table": table, "format": fmt, "query": query.params()},
        rows=rows,
        sync_limit=settings.STATS_EXPORT_SYNC_ROWS,
    )


def build(export: Export, progress: Progress) -> Built:
    params = export.params
    query = Query.from_params(params["query"], max_days=settings.STATS_EXPORT_MAX_DAYS)
    progress(0, 2)
    with translation.override(settings.LANGUAGE_CODE):
        table = tables.build(params["table"], export.requested_by, query)
        progress(1, 2)
        values = [[cell.value for cell in row] for row in table.rows]
        filename = f"{_('Statistics')}-{table.title}-{query.start.isoformat()}-{query.end.isoformat()}"
        if params["format"] == "csv":
            return Built(f"{filename}.csv", table_csv(table.headers, values), CSV)
        percents = frozenset(i for i, cell in enumerate(table.rows[0]) if cell.percent) if table.rows else frozenset()
        return Built(f"{filename}.xlsx", table_xlsx(table.title, table.headers, values, percent_columns=percents))
