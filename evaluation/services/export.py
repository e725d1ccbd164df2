"""The evaluation's Excel export: asking for one (``request``) and building it (``build``,
the ``evaluation`` builder of the ``exports`` app, registered in ``EvaluationConfig.ready``).

Whether it is built at once or by a worker depends on its size: the rows of its tables
plus the lines of its rounds sheet (one per round and figure, i.e. the sum of the tables'
round figures), against ``EVALUATION_EXPORT_SYNC_ROWS``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from evaluation import columns, selectors
from evaluation.periods import Period
from evaluation.services import read, workbook
from exports.models import Export
from exports.services import Built, Progress, request_export

KIND = "evaluation"


def size(rows: Sequence[dict]) -> int:
    """The lines a table and its rounds take in the workbook."""
    figures = [figure for figure in read.ROUND_FIGURES if not rows or figure in rows[0]]
    return len(rows) + sum(int(row.get(figure) or 0) for row in rows for figure in figures)


def title(period: Period, subjects: Sequence[str]) -> str:
    tables = "、".join(str(columns.subject_label(subject)) for subject in subjects)
    return _("Evaluation %(period)s: %(tables)s") % {"period": period.key, "tables": tables}


def request(user, period: Period, subjects: Sequence[str], *, version: int | None = None) -> Export:
    """Record and start the export of ``subjects`` (403/404 for a table ``user`` may not read)."""
    ordered = columns.ordered_subjects(list(dict.fromkeys(subjects)))
    rows = sum(size(selectors.visible_rows(user, period, subject, version)) for subject in ordered)
    return request_export(
        user,
        KIND,
        title=title(period, ordered),
        params={"period": period.key, "subjects": ordered, "version": version},
        rows=rows,
        sync_limit=settings.EVALUATION_EXPORT_SYNC_ROWS,
    )


def build(export: Export, progress: Progress) -> Built:
    params = export.params
    year, month = (int(part) for part in params["period"].split("-"))
    period = Period(year, month)
    with translation.override(settings.LANGUAGE_CODE):
        content = workbook.build(
            export.requested_by, period, params["subjects"], version=params.get("version"), progress=progress
        )
        tables = "-".join(str(columns.subject_label(subject)) for subject in params["subjects"])
        filename = f"{_('Evaluation')}-{period.key}-{tables}.xlsx"
    return Built(filename, content)
