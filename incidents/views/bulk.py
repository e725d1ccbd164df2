"""Bulk actions of the queues: ``POST /console/bulk/`` and ``POST /workbench/bulk/``.

The ticked cases (``cases``), the action (``action``) and that action's form (the same
fields as the single step, prefixed with the action's name); each case then goes through
the step's domain function on its own (``incidents.services.bulk.act_on_each``) and the
page lists what happened to each. Bad input (no case ticked, an unknown action or id, a
missing reason) is the form again with its errors (400), nothing done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.roles import Role
from incidents import services
from incidents.choices import CaseAction
from incidents.forms import BulkDispatchForm, BulkRejectForm, BulkSelectionForm, NoteForm, StepForm
from incidents.services.bulk import act_on_each, reject_or_merge
from incidents.views.common import safe_next
from incidents.views.console import ConsoleMixin, console_summary
from incidents.views.workbench import WorkbenchMixin


@dataclass(frozen=True)
class BulkStep:
    action: CaseAction
    form_class: type[StepForm]
    function: Any
    label: Any

    def form(self, request: HttpRequest, name: str, data=None) -> StepForm:
        kwargs: dict[str, Any] = {"user": request.user} if self.form_class is BulkRejectForm else {}
        return self.form_class(data, prefix=name, **kwargs)


CONSOLE_STEPS = {
    "accept": BulkStep(CaseAction.ACCEPT, NoteForm, services.accept_case, _("Accept the selected cases")),
    "dispatch": BulkStep(
        CaseAction.DISPATCH, BulkDispatchForm, services.dispatch_case, _("Dispatch the selected cases")
    ),
    "reject": BulkStep(CaseAction.REJECT, BulkRejectForm, reject_or_merge, _("Reject the selected cases")),
}
WORKBENCH_STEPS = {
    "start": BulkStep(CaseAction.START, NoteForm, services.start_case, _("Take the selected cases")),
}


class BulkView(View):
    http_method_names = ["post"]
    steps: dict[str, BulkStep] = {}
    template_name = ""
    back = ""

    def context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def render(self, request: HttpRequest, status: int = 200, **context) -> HttpResponse:
        context.update(back=safe_next(request, reverse(self.back)), **self.context(request))
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        selection = BulkSelectionForm(request.POST, actions=self.steps)
        name = request.POST.get("action", "")
        step = self.steps.get(name)
        form = step.form(request, name, request.POST) if step else None
        if not selection.is_valid() or step is None or form is None or not form.is_valid():
            return self.render(request, 400, selection=selection, form=form, step=step)
        outcomes = act_on_each(request.user, selection.cleaned_data["cases"], step.function, **form.domain_kwargs())
        return self.render(
            request,
            step=step,
            outcomes=outcomes,
            done=sum(outcome.ok for outcome in outcomes),
            failed=sum(not outcome.ok for outcome in outcomes),
        )


class ConsoleBulkView(ConsoleMixin, BulkView):
    steps = CONSOLE_STEPS
    template_name = "incidents/console/bulk.html"
    back = "console"

    def context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "tab": "",
            "page_title": _("Bulk action"),
            "role_title": Role.DISPATCHER.label,
            "summary": console_summary(timezone.now()),
            "case_url_name": "console-case",
        }


class WorkbenchBulkView(WorkbenchMixin, BulkView):
    steps = WORKBENCH_STEPS
    template_name = "incidents/workbench/bulk.html"
    back = "workbench"

    def context(self, request: HttpRequest) -> dict[str, Any]:
        return {"role_title": Role.OFFICER.label, "case_url_name": "workbench-case"}
