"""The dispatcher console (指挥调度台): queues, one case's page, search, hotline intake.

For the command centre (``CENTRE_ROLES``): dispatchers act; leaders and administrators
read (and urge) — what each may do on a case is decided by the domain's rules, so the
pages only offer the steps ``available_actions`` lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.roles import CENTRE_ROLES, Role
from gridcenter.pages import add_domain_error, http_error
from incidents import services
from incidents.choices import AttachmentKind, CaseAction, CaseStatus
from incidents.exceptions import CaseError, CaseValidationError
from incidents.forms import (
    AcceptForm,
    ApproveForm,
    AssignForm,
    DispatchForm,
    MergeForm,
    NoteForm,
    NotePhotosForm,
    ReasonForm,
    RegisterForm,
    RequiredNoteForm,
)
from incidents.models import Case, CaseEvent
from incidents.services.duplicates import merge_case
from incidents.services.stage_limits import ACCEPT_STAGE, REVIEW_STAGE, STAGE_LABELS, late_steps, stage_steps
from incidents.views.common import (
    CaseDetailView,
    CasePage,
    CaseStepView,
    Step,
    map_config,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    class StageLabel(TypedDict):
        """What the late steps' page sets on each timeline row it lists."""

        stage_label: StrOrPromise


QUEUE_PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 50

# The centre's three queues: what waits for it, and in which order.
NEW_REPORTS = (CaseStatus.REPORTED,)
TO_DISPATCH = (CaseStatus.REGISTERED, CaseStatus.RETURNED)
TO_REVIEW = (CaseStatus.RESOLVED,)


class ConsoleMixin(RoleRequiredMixin):
    allowed_roles = CENTRE_ROLES


def _month_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def console_summary(now: datetime) -> dict:
    """The figures of the console's header: queue lengths and this month's late steps."""
    counts = dict(
        Case.objects.filter(status__in=[*NEW_REPORTS, *TO_DISPATCH, *TO_REVIEW])
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    month = (
        stage_steps()
        .filter(created_at__gte=_month_start(now))
        .order_by()
        .values(stage=KT("data__stage"))
        .annotate(total=Count("id"), late=Count("id", filter=Q(data__late=True)))
    )
    by_stage: dict[str, Mapping[str, Any]] = {row["stage"]: row for row in month}
    return {
        "new": sum(counts.get(s, 0) for s in NEW_REPORTS),
        "dispatch": sum(counts.get(s, 0) for s in TO_DISPATCH),
        "review": sum(counts.get(s, 0) for s in TO_REVIEW),
        "late_accept": by_stage.get(ACCEPT_STAGE, {}).get("late", 0),
        "late_review": by_stage.get(REVIEW_STAGE, {}).get("late", 0),
    }


class ConsolePage(ConsoleMixin, TemplateView):
    tab = ""
    title: StrOrPromise = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tab=self.tab,
            page_title=self.title,
            role_title=Role.DISPATCHER.label,
            summary=console_summary(timezone.now()),
        )
        return context


class LateStepsView(ConsolePage):
    """The centre's late acceptances and reviews, as the timeline recorded them."""

    template_name = "incidents/console/late.html"
    tab = "late"
    title = gettext_lazy("Late steps")
    months = 6

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        since = _month_start(_month_start(now) - timedelta(days=31 * (self.months - 1)))
        rows = (
            stage_steps()
            .filter(created_at__gte=since)
            .annotate(month=TruncMonth("created_at"))
            .order_by()
            .values("month", stage=KT("data__stage"))
            .annotate(total=Count("id"), late=Count("id", filter=Q(data__late=True)))
        )
        months: dict = {}
        for row in rows:
            entry = months.setdefault(row["month"], {"month": row["month"]})
            entry[row["stage"]] = {"total": row["total"], "late": row["late"]}
        steps = late_steps().select_related("case", "actor").order_by("-created_at", "-id")
        page = Paginator(steps, SEARCH_PAGE_SIZE).get_page(self.request.GET.get("page"))
        for step in cast("Sequence[WithAnnotations[CaseEvent, StageLabel]]", page.object_list):
            step.stage_label = STAGE_LABELS.get(step.data.get("stage", ""), "")
        context.update(
            months=sorted(months.values(), key=lambda entry: entry["month"], reverse=True),
            page=page,
            accept_stage=ACCEPT_STAGE,
            review_stage=REVIEW_STAGE,
        )
        return context


class RegisterView(ConsoleMixin, View):
    """A case received by phone (hotline), as a leader's instruction, or seen on a camera."""

    template_name = "incidents/console/register.html"

    def render(self, request: HttpRequest, form: RegisterForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "tab": "register",
            "page_title": _("Register a case"),
            "role_title": Role.DISPATCHER.label,
            "summary": console_summary(timezone.now()),
            "map_config": map_config([], pick=True),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, RegisterForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegisterForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            result = services.report_case(request.user, **form.domain_kwargs())
        except CaseValidationError as error:
            add_domain_error(form, error)
            return self.render(request, form, status=400)
        except CaseError as error:
            raise http_error(error) from None
        case = result.case
        messages.success(request, _("Case %(tracking_no)s registered.") % {"tracking_no": case.tracking_no})
        return HttpResponseRedirect(reverse("console-case", args=[case.pk]))


# --- one case ---------------------------------------------------------------------------------


def _dispatch_title(case: Case) -> str:
    if case.status == CaseStatus.REPORTED:
        return _("Accept and dispatch")
    if case.status == CaseStatus.RETURNED:
        return _("Dispatch again")
    return _("Dispatch")


def _case(request, case):
    return {"case": case}


def _user(request, case):
    return {"user": request.user}


class ConsoleCasePage(CasePage):
    area = "console"
    template_name = "incidents/console/case.html"
    steps = {
        "dispatch": Step(
            CaseAction.DISPATCH,
            DispatchForm,
            services.dispatch_case,
            title=_dispatch_title,
            form_kwargs=_case,
            primary=True,
        ),
        "accept": Step(CaseAction.ACCEPT, AcceptForm, services.accept_case, form_kwargs=_case),
        "merge": Step(
            CaseAction.MERGE, MergeForm, merge_case, template="incidents/_merge_form.html", form_kwargs=_user
        ),
        "reject": Step(CaseAction.REJECT, ReasonForm, services.reject_case),
        "approve": Step(CaseAction.APPROVE, ApproveForm, services.approve_case, primary=True),
        "reopen": Step(CaseAction.REOPEN, ReasonForm, services.reopen_case),
        "assign": Step(CaseAction.ASSIGN, AssignForm, services.assign_case, form_kwargs=_case),
        "urge": Step(CaseAction.URGE, NoteForm, services.urge_case),
        "note": Step(CaseAction.NOTE, NotePhotosForm, services.add_note_case),
        # A lead department's request about its time limit (the case page shows what it asks).
        "extension-approve": Step(CaseAction.EXTENSION_APPROVE, NoteForm, services.approve_extension, primary=True),
        "extension-refuse": Step(CaseAction.EXTENSION_REFUSE, RequiredNoteForm, services.refuse_extension),
        "hold-approve": Step(CaseAction.HOLD_APPROVE, NoteForm, services.approve_hold, primary=True),
        "hold-refuse": Step(CaseAction.HOLD_REFUSE, RequiredNoteForm, services.refuse_hold),
        "resume": Step(CaseAction.RESUME, NoteForm, services.resume_case),
    }

    def extra_context(self, request, case):
        return {
            "tab": "",
            "page_title": case.tracking_no,
            "role_title": Role.DISPATCHER.label,
            "summary": console_summary(timezone.now()),
            "photo_kinds": AttachmentKind,
        }


class ConsoleCaseView(ConsoleMixin, CaseDetailView):
    page = ConsoleCasePage()


class ConsoleStepView(ConsoleMixin, CaseStepView):
    page = ConsoleCasePage()
