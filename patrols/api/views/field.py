"""The phone's own lists: its day at a glance, your reports and errands, cases to check."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from gridcenter.api import BaseAPIView, ScopedViewSet
from grids.selectors import grid_ids_of
from incidents.api.serializers import CaseListSerializer
from incidents.choices import CaseStatus
from incidents.models import Case
from patrols import selectors, services
from patrols.api import serializers as s
from patrols.api.views.common import WORKERS
from patrols.limits import DAILY_PATROL_MINUTES


class TodayView(BaseAPIView):
    """The phone's home: your grids' coverage today, your open patrol, unread directives,
    cases waiting for your check on site and your open reports."""

    permission_classes = [WORKERS]

    @extend_schema(summary="Your day at a glance (grid workers)", responses={200: s.TodaySerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        patrol = selectors.active_patrol(user)
        body = {
            "grids": services.grid_coverage(grid_ids=sorted(grid_ids_of(user))),
            "min_minutes": DAILY_PATROL_MINUTES,
            "patrol": patrol,
            "unread_directives": selectors.unread_count(user),
            "to_verify": selectors.cases_to_verify(user).count(),
            "open_reports": selectors.my_reports(user).filter(status__in=CaseStatus.ACTIVE).count(),
        }
        return Response(s.TodaySerializer(body, context={"request": request, "now": timezone.now()}).data)


class _CaseListView(mixins.ListModelMixin, ScopedViewSet):
    queryset = Case.objects.none()  # for the schema; each list has its own query
    serializer_class = CaseListSerializer
    permission_classes = [WORKERS]

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(responses={200: CaseListSerializer(many=True)})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)


class MyReportsViewSet(_CaseListView):
    """The cases you reported (not errands), newest first."""

    def get_queryset(self):
        return selectors.my_reports(self.request.user, errands=False).select_related("lead_department")


class MyErrandsViewSet(_CaseListView):
    """The errands (代办) you filed for residents, newest first."""

    def get_queryset(self):
        return selectors.my_reports(self.request.user, errands=True).select_related("lead_department")


class ToVerifyViewSet(_CaseListView):
    """Resolved cases in your grids waiting for your check on site (核查), oldest first."""

    def get_queryset(self):
        return selectors.cases_to_verify(self.request.user).select_related("lead_department")
