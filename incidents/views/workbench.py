"""The department workbench (部门工作台): the inbox by deadline, one case's page, its steps.

Officers see what their department must handle that is theirs or nobody's yet; the
department head sees all of it and reassigns between officers. Administrators, who
belong to no department, choose one (``?department=CGJ``). Every case comes through
``Case.objects.visible_to``: a case of another department is a 404.
"""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.roles import DEPARTMENT_ROLES, Role
from departments.models import Department, Officer
from departments.selectors import officer_of
from incidents import listing, services
from incidents.choices import CaseAction
from incidents.forms import AssignForm, ExtensionForm, NoteForm, NotePhotosForm, ReasonForm, ResolveForm
from incidents.models import Case
from incidents.time_left import time_left
from incidents.views.common import CaseDetailView, CasePage, CaseStepView, Step

PAGE_SIZE = 50
TABS = {
    "inbox": gettext_lazy("Inbox"),
    "assisting": gettext_lazy("Assisting"),
    "handled": gettext_lazy("Handled"),
}


class WorkbenchMixin(RoleRequiredMixin):
    allowed_roles = DEPARTMENT_ROLES | {Role.ADMIN}


def workbench_department(request: HttpRequest) -> tuple[Department | None, bool]:
    """The department the user works for and whether they see all of it (head, administrator)."""
    return listing.workbench_department(request.user, request.GET)


class InboxView(WorkbenchMixin, TemplateView):
    template_name = "incidents/workbench/inbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        department, sees_all = workbench_department(self.request)
        tab = listing.inbox_tab(self.request.GET)
        context.update(
            department=department,
            sees_all=sees_all,
            tab=tab,
            departments=Department.objects.filter(is_active=True) if department is None else [],
            role_title=Role.DEPT_HEAD.label if sees_all else Role.OFFICER.label,
        )
        if department is None:
            return context
        now = timezone.now()
        user = self.request.user
        found = listing.listed_cases(user, "workbench", self.request.GET)
        page = Paginator(found.cases, PAGE_SIZE).get_page(self.request.GET.get("page"))
        suffix = f"?department={department.code}" if not officer_of(user) else ""
        for case in page.object_list:
            case.left = time_left(case, now)  # type: ignore[attr-defined]
            case.url = reverse("workbench-case", args=[case.pk]) + suffix  # type: ignore[attr-defined]
        officers = get_user_model().objects.filter(
            pk__in=Officer.objects.filter(department=department).values("user_id")
        )
        counts = {
            name: listing.inbox_cases(user, department, sees_all, name).order_by().aggregate(n=Count("id"))["n"]
            for name in TABS
        }
        context.update(
            page=page,
            case_list=found,
            valid=found.valid,
            query=found.query,
            filter=found.filterset,
            tabs=[(name, label, counts[name]) for name, label in TABS.items()],
            officers=officers.order_by("username") if sees_all else [],
            assign_action=CaseAction.ASSIGN,
            department_query=suffix,
            can_take=tab == "inbox",
            keep_params=[("tab", tab)] + ([("department", department.code)] if suffix else []),
            key_actions=[("s", gettext_lazy("Take the focused case (opens its form)"))],
            key_map=json.dumps({"s": "start"}),
            next=self.request.get_full_path(),
        )
        return context


def _case(request, case):
    return {"case": case}


class WorkbenchCasePage(CasePage):
    area = "workbench"
    template_name = "incidents/workbench/case.html"
    steps = {
        "start": Step(CaseAction.START, NoteForm, services.start_case, primary=True),
        "resolve": Step(CaseAction.RESOLVE, ResolveForm, services.resolve_case, primary=True),
        "note": Step(CaseAction.NOTE, NotePhotosForm, services.add_note_case),
        "return": Step(CaseAction.RETURN, ReasonForm, services.return_case),
        "assign": Step(CaseAction.ASSIGN, AssignForm, services.assign_case, form_kwargs=_case),
        "extension": Step(CaseAction.EXTENSION_REQUEST, ExtensionForm, services.request_extension),
        "hold": Step(CaseAction.HOLD_REQUEST, ReasonForm, services.request_hold),
        "resume": Step(CaseAction.RESUME, NoteForm, services.resume_case),
    }

    def success_url(self, case: Case, action: str) -> str:
        if action == CaseAction.RETURN:  # the case is back at the centre: on to the next one
            return reverse("workbench")
        return super().success_url(case, action)

    def extra_context(self, request, case):
        department, sees_all = workbench_department(request)
        return {"department": department, "role_title": Role.DEPT_HEAD.label if sees_all else Role.OFFICER.label}


class WorkbenchCaseView(WorkbenchMixin, CaseDetailView):
    page = WorkbenchCasePage()


class WorkbenchStepView(WorkbenchMixin, CaseStepView):
    page = WorkbenchCasePage()
