"""The evaluation's pages (/evaluation/): a month's tables and trend, the rounds behind a figure, the Excel export.

Thin: what a person reads is decided by ``evaluation.selectors`` (the same rule as the API
and the exports), the numbers come from ``evaluation.services.read``. A malformed or
future month, an unknown figure or version is a page with a message (400); a table one
may not read is a 403, a subject one may not read a 404.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import AuthenticatedHttpRequest
from evaluation import columns, selectors, tables
from evaluation.periods import Period, parse_period, period_of
from evaluation.services import appeal_reads, export, read, schemes
from exports.views import answer
from gridcenter.errors import DomainError, DomainValidationError
from gridcenter.pages import http_error
from notifications.services import case_url

ALL_TABLES = "all"


def bad_request(request: HttpRequest, error: DomainError) -> HttpResponse:
    """The page that says what was wrong with the address or the form (400)."""
    messages = [m for ms in error.errors.values() for m in ms] if isinstance(error, DomainValidationError) else []
    return render(request, "evaluation/bad_request.html", {"messages": messages or [error.message]}, status=400)


def parse_version(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit() or int(value) < 1:
        raise DomainValidationError.field("version", _("Give a version as a whole number from 1."))
    return int(value)


class EvaluationMixin(LoginRequiredMixin, View):
    """Signed-in people who may read some of the evaluation; others get 403."""

    request: AuthenticatedHttpRequest

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_read(request.user):
            raise PermissionDenied
        try:
            return super().dispatch(request, *args, **kwargs)
        except DomainValidationError as error:
            return bad_request(request, error)
        except DomainError as error:
            raise http_error(error) from None


class MonthView(EvaluationMixin):
    """A month: the picker, its state and version, the trend, and every table the person may read."""

    def get(self, request: AuthenticatedHttpRequest, period: str | None = None) -> HttpResponse:
        chosen = parse_period(period or request.GET.get("period") or period_of(timezone.now()).key)
        version = parse_version(request.GET.get("version"))
        months = read.periods()
        state = next((month for month in months if month["period"] == chosen.key), {})
        found = [
            tables.build(chosen, subject, selectors.visible_rows(request.user, chosen, subject, version), version)
            for subject in selectors.subjects_for(request.user)
        ]
        context = {
            "period": chosen,
            "periods": months,
            "state": columns.state_label(state.get("state")),
            "version": version or state.get("version"),
            "tables": found,
            "trend": tables.trend(request.user, chosen, [month["period"] for month in months]),
            "all_tables": ALL_TABLES,
            "versions": appeal_reads.versions(chosen) if state.get("version") else [],
            "reads_appeals": appeal_reads.may_list(request.user),
            "pending_appeals": appeal_reads.pending_count(request.user),
            "edits_scheme": schemes.may_edit(request.user),
        }
        return render(request, "evaluation/month.html", context)


def rounds_page(request, period: Period, subject: str, key: str, figure: str, **extra) -> dict:
    """What the rounds page shows (its ``version`` from the address); ``extra`` for a form sent back."""
    version = parse_version(request.GET.get("version"))
    row = next((r for r in selectors.visible_rows(request.user, period, subject, version) if r["key"] == key), None)
    if row is None:
        raise Http404
    found = selectors.rounds_of(period, subject, key, figure, version)
    window = appeal_reads.window(request.user, period, subject, key, figure, version)
    for item in found:
        item["url"] = case_url(request.user, item["case"])
        item["late"] = bool(item["deadline"] and (item["resolved_at"] or timezone.now()) > item["deadline"])
        item["round_no"] = window.round_no(item["case"], item["started_at"])
        item["appeal"] = window.appeal(item["case"], item["started_at"])
        item["appealable"] = window.open and item["round_no"] is not None and item["appeal"] is None
    return {
        "period": period,
        "subject": subject,
        "subject_label": columns.subject_label(subject),
        "row": row,
        "figure": figure,
        "figure_label": columns.label(figure, subject),
        "count": row.get(figure),
        "rounds": found,
        "version": version,
        "window": window,
        "appealing": any(item["appealable"] for item in found),
        **extra,
    }


class RoundsView(EvaluationMixin):
    """The rounds behind one figure of one subject, each linked to its case where the person works;
    on a published month, the appeals made on them and, for the department's head, the form to appeal."""

    def get(self, request: AuthenticatedHttpRequest, period: str, subject: str, key: str, figure: str) -> HttpResponse:
        context = rounds_page(request, parse_period(period), subject, key, figure)
        return render(request, "evaluation/rounds.html", context)


class ExportView(EvaluationMixin):
    """POST: one table (``subject``) or every table the person reads (``all``) as an Excel workbook."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, period: str) -> HttpResponseBase:
        chosen: Period = parse_period(period)
        version = parse_version(request.POST.get("version"))
        subject = request.POST.get("subject") or ALL_TABLES
        subjects = selectors.subjects_for(request.user) if subject == ALL_TABLES else [subject]
        return answer(export.request(request.user, chosen, subjects, version=version))
