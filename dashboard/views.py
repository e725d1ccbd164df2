"""The wall screen page and the case panel it opens: thin views over the dashboard modules."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import RoleRequiredMixin, role_permission
from accounts.roles import WALL_SCREEN_ROLES
from dashboard.panels import case_panel
from dashboard.snapshot import DAYS
from evaluation.choices import BAND_COLOURS
from gridcenter.api import BaseAPIView
from grids.choices import CameraStatus
from incidents.choices import CaseAction, CaseSource, CaseStatus, SlaLevel, WallScreenFigure
from patrols.choices import CoverageLevel

# The wall screen reloads today's patrol coverage this often, and a little after a patrol stops.
COVERAGE_REFRESH_SECONDS = 60


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def screen_strings() -> dict[str, str]:
    """The words the page's script writes itself, in the user's language."""
    return {
        "connected": _("Live"),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost, reconnecting…"),
        "resynced": _("Live · resynchronised after a reconnect at %(time)s"),
        "signedOut": _("Your session has ended; sign in again."),
        "forbidden": _("Your role may not watch the wall screen."),
        "reported": _("Reported"),
        "dispatched": _("Dispatched"),
        "closed": _("Closed"),
        "score": _("Score"),
        "overdue": _("Overdue"),
        "warning": _("Deadline near"),
        "returns": _("Returns"),
        "open": _("Open cases"),
        "openCases": _("Open cases per grid"),
        "overdueCases": _("Overdue cases per grid"),
        "cameras": _("Cameras"),
        "townships": _("Townships"),
        "cases": _("Cases"),
        "grids": _("Grids"),
        "lateBy": _("late by"),
        "minutes": _("min"),
        "hours": _("h"),
        "days": _("d"),
        "urged": _("urged"),
        "times": _("×"),
        "noCases": _("None"),
        "timeline": _("Timeline"),
        "nearestCameras": _("Nearest cameras"),
        "details": _("Details"),
        "urge": _("Urge this case"),
        "urgeNote": _("Note for the department (optional)"),
        "urgeDone": _("Urged: the department has been pressed for progress."),
        "urgeFailed": _("The case could not be urged:"),
        "close": _("Close"),
        "deadline": _("Deadline"),
        "department": _("Lead department"),
        "assisting": _("Assisting"),
        "place": _("Place"),
        "reportedAt": _("Reported at"),
        "reporter": _("Reporter"),
        "source": _("Source"),
        "status": _("Status"),
        "description": _("Description"),
        "markersTruncated": _("Only the newest cases are drawn."),
        "metres": _("m"),
        "loadFailed": _("The case could not be loaded."),
        "workersOnPatrol": _("Grid workers on patrol"),
        "noFix": _("no position yet"),
        "agoFormat": _("%(age)s ago"),
        "seconds": _("sec"),
        "nobodyOnPatrol": _("Nobody on patrol"),
    }


def screen_config() -> dict:
    """What the page's script needs: addresses, labels and colours in the user's language."""
    return {
        "wsPath": "/ws/dashboard/",
        "caseUrl": reverse("dashboard-case", args=[0]),
        "urgeUrl": reverse("case-urge", args=[0]),
        "loginUrl": reverse("login"),
        "gridsUrl": reverse("api-grids-geojson") + "?zoom=12",
        "townshipsUrl": reverse("api-townships-geojson") + "?zoom=11",
        "camerasUrl": reverse("api-cameras-geojson"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "attributionPrefix": settings.MAP_ATTRIBUTION_PREFIX,
        "timeZone": settings.TIME_ZONE,
        "coverageUrl": reverse("api-coverage"),
        "coverageColours": {level.value: level.colour for level in CoverageLevel},
        "coverageLevels": _labels(CoverageLevel),
        "coverageRefreshSeconds": COVERAGE_REFRESH_SECONDS,
        "days": DAYS,
        "activeStatuses": sorted(CaseStatus.ACTIVE),
        "statuses": {status.value: {"label": str(status.label), "colour": status.colour} for status in CaseStatus},
        "slaColours": {level.value: level.colour for level in (SlaLevel.WARNING, SlaLevel.OVERDUE)},
        "bandColours": {band.value: colour for band, colour in BAND_COLOURS.items()},
        "figures": _labels(WallScreenFigure),
        "actions": _labels(CaseAction),
        "sources": _labels(CaseSource),
        "cameraStatuses": _labels(CameraStatus),
        "strings": screen_strings(),
    }


class WallScreenView(RoleRequiredMixin, TemplateView):
    """指挥大屏: the centre's live wall screen (a full-screen page of its own)."""

    allowed_roles = WALL_SCREEN_ROLES
    template_name = "dashboard/wallscreen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["screen_config"] = screen_config()
        context["figures"] = WallScreenFigure.choices
        context["today_figures"] = [
            ("reported", _("Reported")),
            ("dispatched", _("Dispatched")),
            ("closed", _("Closed")),
            ("overdue", _("Overdue")),
        ]
        context["days"] = DAYS
        return context


@extend_schema(exclude=True)  # the wall screen's own endpoint, not part of the public API
class CasePanelView(BaseAPIView):
    """A case's details, timeline and nearest cameras, for the wall screen's side panel."""

    permission_classes = [IsAuthenticated, role_permission(*WALL_SCREEN_ROLES)]

    def get(self, request: Request, pk: int) -> Response:
        panel = case_panel(request.user, pk)
        if panel is None:
            raise NotFound(_("No such case."))
        return Response(panel)
