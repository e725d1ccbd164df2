"""The appeals' pages: a head appeals a round from the rounds page, everyone concerned follows the
appeals at /evaluation/appeals/, a leader decides there.

Thin: who reads which appeal is ``evaluation.services.appeal_reads``; who may appeal or decide,
and every rule of both, ``evaluation.services.appeals``. Their errors come back on the form
that was sent, with the domain's status (400, 403, 409), never as a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.permissions import AuthenticatedHttpRequest
from evaluation.choices import AppealState
from evaluation.forms import AppealForm, DecisionForm
from evaluation.models import Appeal
from evaluation.periods import Period, parse_period
from evaluation.services import appeal_reads, appeals
from evaluation.views.pages import EvaluationMixin, rounds_page
from gridcenter.errors import DomainError, DomainValidationError
from gridcenter.pages import add_domain_error
from notifications.services import case_url

SUBJECT = "departments"  # appeals are a department's


def list_url(period: str | None = None) -> str:
    url = reverse("evaluation-appeals")
    return f"{url}?{urlencode({'period': period})}" if period else url


class AppealView(EvaluationMixin):
    """``POST``: the department's head appeals one round behind a figure (the form of the rounds page)."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, period: str, key: str, figure: str) -> HttpResponse:
        chosen = parse_period(period)
        form = AppealForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = appeals.appeal(
                    request.user,
                    chosen,
                    figure=figure,
                    case=data["case"],
                    round_no=data["round_no"],
                    reason=data["reason"],
                    evidence=data["evidence"],
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.status_code
            else:
                messages.success(request, _("Appeal %(id)s sent: a leader will decide on it.") % {"id": made.pk})
                return HttpResponseRedirect(reverse("evaluation-rounds", args=[chosen.key, SUBJECT, key, figure]))
        context = rounds_page(request, chosen, SUBJECT, key, figure, appeal_form=form)
        return render(request, "evaluation/rounds.html", context, status=status)


def appeals_page(
    request: AuthenticatedHttpRequest, period: Period | None, state: str, sent: dict[int, DecisionForm] | None = None
) -> dict:
    """What the appeals page shows: the appeals the person reads (of a month, in a state), each with
    its case's link and, for a leader, the decision form (``sent``: a form sent back with its errors)."""
    found = list(appeal_reads.listed(request.user, period=period, state=state))
    decides = appeal_reads.may_decide(request.user)
    for appeal in found:
        appeal.case_url = case_url(request.user, appeal.case_id)  # type: ignore[attr-defined]
        appeal.decision_form = (sent or {}).get(appeal.pk) or DecisionForm()  # type: ignore[attr-defined]
    return {
        "appeals": found,
        "period": period,
        "state": state,
        "months": appeal_reads.months(request.user),
        "states": AppealState.choices,
        "decides": decides,
        "pending_appeals": appeal_reads.pending_count(request.user),
    }


class AppealListView(EvaluationMixin):
    """The appeals one reads: a head their department's, the centre every one; ``?period=&state=``."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else None
        context = appeals_page(request, period, request.GET.get("state", ""))
        return render(request, "evaluation/appeals.html", context)


class DecisionView(EvaluationMixin):
    """``POST``: a leader upholds or dismisses a pending appeal with a note."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        appeal: Appeal = appeal_reads.get(request.user, pk)
        form = DecisionForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                note = form.cleaned_data["note"]
                decided = appeals.decide_appeal(request.user, appeal.pk, uphold=form.uphold, note=note)
            except DomainValidationError as error:
                add_domain_error(form, error)
            except DomainError as error:  # 403, or 409: decided meanwhile (the page shows how)
                messages.error(request, error.message)
                status = error.status_code
            else:
                messages.success(request, decided_message(decided))
                return HttpResponseRedirect(list_url(decided.period))
        year, month = (int(part) for part in appeal.period.split("-"))
        context = appeals_page(request, Period(year, month), "", {appeal.pk: form})
        return render(request, "evaluation/appeals.html", context, status=status)


def decided_message(appeal: Appeal) -> str:
    if appeal.result is not None:
        return _("Appeal %(id)s upheld: %(period)s is republished as version %(version)s.") % {
            "id": appeal.pk,
            "period": appeal.period,
            "version": appeal.result.version,
        }
    return _("Appeal %(id)s dismissed.") % {"id": appeal.pk}
