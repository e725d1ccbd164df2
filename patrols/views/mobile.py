"""The grid worker's phone pages under /m/: small server-rendered pages; every change they
make goes through the /api/v1/ API (from the phone's outbox, so it also works offline)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Count, Prefetch
from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.permissions import AuthenticatedHttpRequest, RoleRequiredMixin
from accounts.roles import Role
from grids.models import Grid
from grids.selectors import grid_ids_of
from grids.services import SIMPLIFIED_PRECISION
from incidents.choices import CaseAction, CaseStatus
from incidents.models import Case, CaseEvent, SubCategory
from incidents.services import available_actions
from patrols import selectors, services
from patrols.choices import ERRAND_MAJOR_CODE, ERRAND_SUBCATEGORY, DiaryType, ErrandKind
from patrols.limits import DAILY_PATROL_MINUTES
from patrols.models import DiaryEntry, DirectiveRecipient, Patrol
from patrols.views.strings import mobile_strings

FIELD_PAGE_ROLES = frozenset({Role.GRID_WORKER, Role.ADMIN})


def _patrol_state(patrol: Patrol | None) -> dict | None:
    if patrol is None:
        return None
    return {
        "id": patrol.pk,
        "uuid": str(patrol.client_uuid) if patrol.client_uuid else None,
        "grid": patrol.grid_id,
        "started_at": patrol.started_at.isoformat(),
        "distance_m": round(patrol.distance_m),
        "last_seq": patrol.last_seq,
    }


def grids_geojson(user) -> str:
    """The worker's grids as a small GeoJSON (drawn on the phone's maps without any tiles)."""
    rows = (
        Grid.objects.active()
        .filter(workers__user=user)
        .order_by("code")
        .annotate(geojson=AsGeoJSON("boundary", precision=SIMPLIFIED_PRECISION))
        .values_list("id", "name", "geojson")
    )
    features = [
        {"type": "Feature", "id": pk, "geometry": json.loads(geometry), "properties": {"name": name}}
        for pk, name, geometry in rows
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))


class FieldPage(RoleRequiredMixin, TemplateView):
    """A page of the phone UI: the shared configuration of its scripts and the unread count."""

    allowed_roles = FIELD_PAGE_ROLES
    request: AuthenticatedHttpRequest  # RoleRequiredMixin lets only signed-in users through
    title = _("My grid")
    tab = ""
    with_grids_map = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["title"] = self.title
        context["tab"] = self.tab
        context["unread"] = selectors.unread_count(user)
        context["m_config"] = {
            "user": user.pk,
            "strings": mobile_strings(),
            "timeZone": settings.TIME_ZONE,  # the outbox's times, whatever the phone's zone
            "patrol": _patrol_state(selectors.active_patrol(user)),
            "urls": {
                "sw": reverse("m-sw"),
                "scope": reverse("mobile-home"),
                "outbox": reverse("m-outbox"),
                "ws": "/ws/user/",
                "locate": reverse("api-grid-locate"),
                "categories": reverse("category-list"),
                "patrols": reverse("patrol-list"),
                "directive": reverse("m-directive", args=[0]),
            },
        }
        if self.with_grids_map:
            context["grids_geojson"] = grids_geojson(user)
            # Named explicitly: Leaflet guesses them from its CSS's URL, which hashed static
            # file names (production) defeat.
            context["m_config"]["icons"] = {
                "iconUrl": static("leaflet/images/marker-icon.png"),
                "iconRetinaUrl": static("leaflet/images/marker-icon-2x.png"),
                "shadowUrl": static("leaflet/images/marker-shadow.png"),
            }
        return context


class HomeView(FieldPage):
    """我的网格: today's patrol status per grid, unread directives, what waits for me."""

    template_name = "patrols/m/home.html"
    tab = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["coverage"] = services.grid_coverage(grid_ids=sorted(grid_ids_of(user)))
        context["min_minutes"] = DAILY_PATROL_MINUTES
        context["patrol"] = selectors.active_patrol(user)
        context["directives"] = selectors.inbox(user).filter(read_at__isnull=True)[:3]
        context["to_verify"] = selectors.cases_to_verify(user)[:5]
        context["open_reports"] = selectors.my_reports(user).filter(status__in=CaseStatus.ACTIVE).count()
        context["open_errands"] = selectors.my_reports(user, errands=True).filter(status__in=CaseStatus.ACTIVE).count()
        return context


class ReportView(FieldPage):
    """Report a problem in under a minute (or, with ``errand``, file an errand for a resident)."""

    template_name = "patrols/m/report.html"
    title = _("Report a problem")
    tab = "report"
    with_grids_map = True
    errand = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errand"] = self.errand
        if self.errand:
            context["errand_kinds"] = [
                {"value": kind.value, "label": kind.label, "sub": ERRAND_SUBCATEGORY[kind]} for kind in ErrandKind
            ]
            context["errand_subs"] = SubCategory.objects.filter(
                major__code=ERRAND_MAJOR_CODE, is_active=True, major__is_active=True
            ).order_by("code")
        return context


class ErrandNewView(ReportView):
    title = _("New errand for a resident")
    tab = "home"
    errand = True


class CaseListView(FieldPage):
    template_name = "patrols/m/cases.html"
    title = _("My reports")
    tab = "home"
    errands = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["errands"] = self.errands
        context["cases"] = selectors.my_reports(self.request.user, errands=self.errands)[:50]
        return context


class ErrandListView(CaseListView):
    title = _("Errands for residents")
    errands = True


class CaseView(FieldPage):
    """A case with its timeline; the worker confirms or refuses a fix on site, or solves
    their own report on the spot."""

    template_name = "patrols/m/case.html"
    title = _("Case")
    tab = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        events = CaseEvent.objects.select_related("actor").prefetch_related("attachments").order_by("created_at", "id")
        case = (
            Case.objects.visible_to(user)
            .select_related("subcategory", "grid", "lead_department")
            .prefetch_related(Prefetch("events", queryset=events))
            .filter(pk=kwargs["pk"])
            .first()
        )
        if case is None:
            raise Http404
        actions = available_actions(user, case)
        context["case"] = case
        context["can_verify"] = CaseAction.VERIFY in actions
        context["can_self_resolve"] = CaseAction.SELF_RESOLVE in actions
        context["can_note"] = CaseAction.NOTE in actions
        return context


class PatrolView(FieldPage):
    template_name = "patrols/m/patrol.html"
    title = _("Patrol")
    tab = "patrol"
    with_grids_map = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["grids"] = list(Grid.objects.active().filter(workers__user=user).order_by("code"))
        context["coverage"] = services.grid_coverage(grid_ids=[grid.pk for grid in context["grids"]])
        context["min_minutes"] = DAILY_PATROL_MINUTES
        context["recent"] = Patrol.objects.filter(worker=user).select_related("grid")[:10]
        context["now"] = timezone.now()
        return context


class DiaryListView(FieldPage):
    template_name = "patrols/m/diary.html"
    title = _("Patrol diary")
    tab = "diary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = (
            DiaryEntry.objects.filter(worker=self.request.user)
            .select_related("grid", "case")
            .annotate(comment_count=Count("comments"))[:50]
        )
        return context


class DiaryNewView(FieldPage):
    template_name = "patrols/m/diary_new.html"
    title = _("New diary entry")
    tab = "diary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["types"] = DiaryType.choices
        context["grids"] = list(Grid.objects.active().filter(workers__user=user).order_by("code"))
        context["cases"] = Case.objects.visible_to(user).select_related("subcategory").order_by("-created_at")[:20]
        return context


class DiaryEntryView(FieldPage):
    template_name = "patrols/m/diary_entry.html"
    title = _("Diary entry")
    tab = "diary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = (
            DiaryEntry.objects.filter(worker=self.request.user, pk=kwargs["pk"])
            .select_related("grid", "case", "entered_by")
            .prefetch_related("photos", "comments__author")
            .first()
        )
        if entry is None:
            raise Http404
        context["entry"] = entry
        return context


class DirectiveListView(FieldPage):
    template_name = "patrols/m/directives.html"
    title = _("Directives")
    tab = "directives"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["receipts"] = selectors.inbox(self.request.user)[:50]
        return context


class DirectiveView(FieldPage):
    """A directive: opening it marks it read (through the API); the worker replies here."""

    template_name = "patrols/m/directive.html"
    title = _("Directive")
    tab = "directives"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = (
            DirectiveRecipient.objects.filter(worker=self.request.user, directive_id=kwargs["pk"])
            .select_related("directive__sender")
            .first()
        )
        if receipt is None:
            raise Http404
        context["receipt"] = receipt
        context["directive"] = receipt.directive
        return context


class OutboxView(FieldPage):
    """What waits on the phone to be sent (drawn by the page's script from IndexedDB)."""

    template_name = "patrols/m/outbox.html"
    title = _("Waiting to send")


class OfflineView(FieldPage):
    template_name = "patrols/m/offline.html"
    title = _("No signal")
