"""What the console and the workbench share: the case page, the step views, map data.

Views stay thin: they fetch through ``Case.objects.visible_to`` (a case someone may not
see is a 404), call one domain function per step, and turn the domain's errors into
page answers: bad input → the form again with its errors (400), a status that no longer
allows the step → the page with a message (409), a role that may not → 403.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import RoleRequiredMixin
from departments.models import Department
from gridcenter.pages import add_domain_error, http_error
from grids.services import nearest_cameras
from incidents.choices import AttachmentKind, CaseAction, CaseStatus, Urgency
from incidents.exceptions import CaseError, CaseValidationError, InvalidTransition
from incidents.forms import StepForm
from incidents.listing import list_cases
from incidents.models import Attachment, Case, CaseEvent
from incidents.privacy import reporter_contact
from incidents.services import available_actions
from incidents.services.duplicates import duplicate_candidates
from incidents.services.stage_limits import STAGE_LABELS, waiting
from incidents.time_left import time_left

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

    class TimelineFacts(TypedDict):
        """What ``timeline_rows`` sets on each row for the page (``departments_text`` on a row naming one)."""

        departments_text: str
        stage_label: StrOrPromise
        status_change: bool
        deadline: datetime | None

    TimelineRow = WithAnnotations[CaseEvent, TimelineFacts]

NEAREST_CAMERAS = 6


page_cases = list_cases  # the cases a user may see, with what the lists show


def with_photos(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")))


def get_visible_case(user, pk: int) -> Case:
    case = (
        page_cases(user)
        .select_related("verified_by", "duplicate_of")
        .prefetch_related("assisting_departments", "duplicates")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(_("No such case."))
    return case


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# --- map data ----------------------------------------------------------------------


def case_marker(case: Case, url: str) -> dict[str, Any]:
    return {
        "id": case.pk,
        "lat": round(case.lat, 6),
        "lng": round(case.lng, 6),
        "title": f"{case.tracking_no} {case.subcategory.name}",
        "status": case.get_status_display(),
        "colour": CaseStatus(case.status).colour,
        "url": url,
    }


def map_config(markers: list[dict], **extra) -> dict[str, Any]:
    """What ``static/incidents/casemap.js`` draws: grid outlines, markers, optional extras."""
    return {
        "gridsUrl": reverse("api-grids-geojson") + "?zoom=12",
        "tileUrl": settings.MAP_TILE_URL,
        "markers": markers,
        **extra,
    }


# --- one case's page ---------------------------------------------------------------------


@dataclass
class Step:
    """One action a page offers: its form and the domain function it calls."""

    action: CaseAction
    form_class: type[StepForm]
    function: Callable[..., Any]
    title: Callable[[Case], str] | None = None  # the panel's title; the action's label by default
    template: str = "incidents/_step_form.html"
    form_kwargs: Callable[[HttpRequest, Case], dict] = field(default=lambda request, case: {})
    primary: bool = False

    def label(self, case: Case) -> str:
        return self.title(case) if self.title else str(self.action.label)

    def form(self, request: HttpRequest, case: Case, data=None, files=None) -> StepForm:
        return self.form_class(data, files, prefix=self.action.value, **self.form_kwargs(request, case))


def timeline_rows(case: Case) -> list[TimelineRow]:
    rows = cast(
        "list[TimelineRow]",
        list(
            case.events.select_related("actor", "department").prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
            )
        ),
    )
    codes = {code for row in rows for code in [row.data.get("department"), *row.data.get("assisting", [])] if code}
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    for row in rows:
        if row.data.get("department"):
            row.departments_text = " + ".join(
                names.get(code, code) for code in [row.data["department"], *row.data.get("assisting", [])]
            )
        row.stage_label = STAGE_LABELS.get(row.data.get("stage", ""), "")
        row.status_change = row.from_status != row.to_status
        deadline = row.data.get("deadline")
        row.deadline = datetime.fromisoformat(deadline) if isinstance(deadline, str) else None
    return rows


class CasePage:
    """Builds the context of a case's page for one area (console or workbench)."""

    area = ""  # URL name prefix: "console" or "workbench"
    template_name = ""
    steps: dict[str, Step] = {}

    def step_url(self, case: Case, action: str) -> str:
        return reverse(f"{self.area}-case-step", args=[case.pk, action])

    def case_url(self, case: Case) -> str:
        return reverse(f"{self.area}-case", args=[case.pk])

    def success_url(self, case: Case, action: str) -> str:
        """Where a step that succeeded goes when the form names no ``next``."""
        return self.case_url(case)

    def extra_context(self, request: HttpRequest, case: Case) -> dict[str, Any]:
        return {}

    def context(self, request: HttpRequest, case: Case, bound: dict[str, StepForm] | None = None) -> dict[str, Any]:
        now = timezone.now()
        bound = bound or {}
        allowed = available_actions(request.user, case)
        panels = []
        for name, step in self.steps.items():
            if step.action not in allowed:
                continue
            form = bound.get(name) or step.form(request, case)
            panels.append(
                {
                    "name": name,
                    "title": step.label(case),
                    "step": step,
                    "form": form,
                    "url": self.step_url(case, name),
                    "open": name in bound or step.primary,
                }
            )
        photos = list(case.attachments.order_by("created_at", "id"))
        cameras = nearest_cameras(case.lat, case.lng, limit=NEAREST_CAMERAS)
        grid_shape = json.loads(case.grid.boundary.geojson) if case.grid_id else None
        return {
            "case": case,
            "case_url_name": f"{self.area}-case",
            "urgent": Urgency.URGENT,
            "now": now,
            "status": CaseStatus(case.status),
            "time_left": time_left(case, now),
            "wait": waiting(case, now),
            "contact": reporter_contact(case, request.user, request),
            "panels": panels,
            "timeline": timeline_rows(case),
            "before_photos": [p for p in photos if p.kind == AttachmentKind.BEFORE],
            "other_photos": [p for p in photos if p.kind != AttachmentKind.BEFORE],
            "cameras": cameras,
            "candidates": duplicate_candidates(case) if CaseAction.MERGE in allowed else [],
            "next": safe_next(request, ""),
            "map_config": map_config(
                [case_marker(case, "")],
                gridShape=grid_shape,
                cameras=[
                    {"lat": c.point.y, "lng": c.point.x, "title": f"{c.name} ({c.code})", "distance": c.distance_m}
                    for c in cameras
                ],
                zoom=16,
            ),
            **self.extra_context(request, case),
        }

    def render(self, request: HttpRequest, case: Case, *, bound=None, status: int = 200) -> HttpResponse:
        return render(request, self.template_name, self.context(request, case, bound), status=status)


class CaseDetailView(RoleRequiredMixin, View):
    page: CasePage

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page.render(request, get_visible_case(request.user, pk))


class CaseStepView(RoleRequiredMixin, View):
    """``POST <area>/cases/<pk>/<action>/``: one step through its domain function."""

    page: CasePage
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        step = self.page.steps.get(action)
        if step is None:
            raise Http404(_("No such action."))
        case = get_visible_case(request.user, pk)
        form = step.form(request, case, request.POST, request.FILES)
        if not form.is_valid():
            return self.page.render(request, case, bound={action: form}, status=400)
        try:
            step.function(request.user, case.pk, **form.domain_kwargs())
        except CaseValidationError as error:
            add_domain_error(form, error)
            return self.page.render(request, case, bound={action: form}, status=400)
        except InvalidTransition as error:
            messages.error(request, error.message)
            return self.page.render(request, get_visible_case(request.user, pk), status=409)
        except CaseError as error:
            raise http_error(error) from None
        messages.success(
            request,
            _("%(tracking_no)s: %(action)s — done.") % {"tracking_no": case.tracking_no, "action": step.action.label},
        )
        return HttpResponseRedirect(safe_next(request, self.page.success_url(case, action)))
