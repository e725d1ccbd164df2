"""The department workbench (部门工作台): the inbox by deadline, one case's page, its steps.

Officers see what their department must handle that is theirs or nobody's yet; the
department head sees all of it and reassigns between officers. Administrators, who
belong to no department, choose one (``?department=CGJ``). Every case comes through
``Case.objects.visible_to``: a case of another department is a 404.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Count, F, Q, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.permissions import RoleRequiredMixin
from accounts.roles import DEPARTMENT_ROLES, Role, has_role
from departments.models import Department, Officer
from departments.selectors import officer_of
from incidents import services
from incidents.choices import CaseAction, CaseStatus
from incidents.forms import AssignForm, ExtensionForm, NoteForm, NotePhotosForm, ReasonForm, ResolveForm
from incidents.models import Case
from incidents.time_left import time_left
from incidents.views.common import CaseDetailView, CasePage, CaseStepView, Step, page_cases

PAGE_SIZE = 50
# What a lead department holds (its clock runs); what it has handed on for review or closed.
HELD = tuple(CaseStatus.CLOCK_RUNNING)
HANDLED = (CaseStatus.RESOLVED, CaseStatus.CLOSED)
TABS = {
    "inbox": gettext_lazy("Inbox"),
    "assisting": gettext_lazy("Assisting"),
    "handled": gettext_lazy("Handled"),
}


class WorkbenchMixin(RoleRequiredMixin):
    allowed_roles = DEPARTMENT_ROLES | {Role.ADMIN}


def workbench_department(request: HttpRequest) -> tuple[Department | None, bool]:
    """The department the user works for and whether they see all of it (head, administrator)."""
    officer = officer_of(request.user)
    if officer is not None:
        return officer.department, officer.is_head
    if has_role(request.user, Role.ADMIN):
        code = request.GET.get("department", "").strip()
        return (Department.objects.filter(code__iexact=code).first() if code else None), True
    return None, False


class InboxView(WorkbenchMixin, TemplateView):
    template_name = "incidents/workbench/inbox.html"

    def tab_cases(self, department: Department, sees_all: bool, tab: str):
        cases = page_cases(self.request.user)
        if tab == "assisting":
            return cases.filter(assisting_departments=department, status__in=CaseStatus.ACTIVE).exclude(
                lead_department=department
            )
        if tab == "handled":
            return cases.filter(lead_department=department, status__in=HANDLED).order_by("-updated_at", "-id")
        held = cases.filter(lead_department=department, status__in=HELD)
        if not sees_all:
            held = held.filter(Q(assigned_officer=self.request.user) | Q(assigned_officer__isnull=True))
        return held

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        department, sees_all = workbench_department(self.request)
        tab = self.request.GET.get("tab", "inbox")
        if tab not in TABS:
            tab = "inbox"
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
        cases = self.tab_cases(department, sees_all, tab)
        if tab != "handled":  # urged (督办) cases first, then by deadline
            urged_first = CaseWhen(When(urge_count__gt=0, then=0), default=1)
            cases = cases.order_by(urged_first, F("deadline").asc(nulls_last=True), "created_at", "id")
        page = Paginator(cases, PAGE_SIZE).get_page(self.request.GET.get("page"))
        suffix = f"?department={department.code}" if not officer_of(self.request.user) else ""
        for case in page.object_list:
            case.left = time_left(case, now)
            case.url = reverse("workbench-case", args=[case.pk]) + suffix
        officers = get_user_model().objects.filter(
            pk__in=Officer.objects.filter(department=department).values("user_id")
        )
        counts = {
            name: self.tab_cases(department, sees_all, name).order_by().aggregate(n=Count("id"))["n"] for name in TABS
        }
        context.update(
            page=page,
            tabs=[(name, label, counts[name]) for name, label in TABS.items()],
            officers=officers.order_by("username") if sees_all else [],
            assign_action=CaseAction.ASSIGN,
            department_query=suffix,
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
