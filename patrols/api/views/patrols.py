"""Patrols (巡查) with their GPS tracks, addressed by id or by the phone's client_uuid."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from gridcenter.api import ScopedViewSet
from gridcenter.parsers import JSONParser
from patrols import services
from patrols.api import serializers as s
from patrols.api.views.common import FIELD_ROLES, errors, valid
from patrols.filtersets import PatrolFilterSet
from patrols.models import Patrol, TrackPoint


class PatrolViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Patrols (巡查) with their GPS tracks. Grid workers see their own; the centre sees all.

    A patrol is addressed by its id or by the ``client_uuid`` the phone gave it, so a
    phone that started it offline can send its points before it knows the id.
    """

    queryset = Patrol.objects.all()
    serializer_class = s.PatrolSerializer
    filterset_class = PatrolFilterSet
    permission_classes = [FIELD_ROLES]
    lookup_value_regex = r"\d+|[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return super().get_queryset().select_related("worker", "grid").prefetch_related("reports")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_object(self) -> Patrol:
        patrol = self.get_queryset().filter(**services.patrol_lookup(self.kwargs["pk"])).first()
        if patrol is None:
            raise NotFound()
        return patrol

    def _answer(self, patrol: Patrol, code: int = status.HTTP_200_OK) -> Response:
        patrol = self.get_queryset().get(pk=patrol.pk)
        return Response(s.PatrolSerializer(patrol, context=self.get_serializer_context()).data, status=code)

    @extend_schema(summary="List patrols (yours; the centre: all)", responses={200: s.PatrolSerializer(many=True)})
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A patrol", responses={200: s.PatrolSerializer, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(s.PatrolSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Start a patrol (idempotent on client_uuid)",
        request=s.PatrolStartSerializer,
        responses={
            201: s.PatrolSerializer,
            200: OpenApiResponse(s.PatrolSerializer, description="This client_uuid started a patrol before"),
            **errors(400, 403, 409),
        },
    )
    def create(self, request: Request) -> Response:
        data = valid(s.PatrolStartSerializer, request.data)
        result = services.start_patrol(request.user, **data)
        return self._answer(result.patrol, status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        methods=["GET"],
        summary="The patrol's track points, in sequence order",
        responses={200: s.TrackPointSerializer(many=True), **errors(404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Send a batch of track points (idempotent per seq; any order)",
        request=s.TrackBatchSerializer,
        responses={200: s.BatchResultSerializer, **errors(400, 403, 404)},
    )
    # The whole track, unpaged (a patrol's points are bounded), without the patrols' filters.
    # JSON only: a batch is a list of objects, which a form cannot carry.
    @action(
        detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[], parser_classes=[JSONParser]
    )
    def points(self, request: Request, pk: str) -> Response:
        if request.method == "GET":
            patrol = self.get_object()
            points = TrackPoint.objects.filter(patrol=patrol).order_by("seq")
            return Response(s.TrackPointSerializer(points, many=True).data)
        # The domain function checks every point (see ``add_track_points``): no serializer
        # field per value on the path that every phone takes every 30 seconds.
        batch = request.data.get("points") if isinstance(request.data, dict) else None
        if not isinstance(batch, list):
            raise ValidationError({"points": [_("Send a list of points.")]})
        result = services.add_track_points(request.user, pk, batch)
        return Response(s.BatchResultSerializer(result, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Stop the patrol (stopping a stopped one changes nothing)",
        request=s.PatrolStopSerializer,
        responses={200: s.PatrolSerializer, **errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        data = valid(s.PatrolStopSerializer, request.data)
        return self._answer(services.stop_patrol(request.user, pk, **data))

    @extend_schema(
        summary="Link a case you reported to this patrol (idempotent)",
        request=s.LinkReportSerializer,
        responses={200: s.PatrolSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reports(self, request: Request, pk: str) -> Response:
        data = valid(s.LinkReportSerializer, request.data)
        link = services.link_report(request.user, pk, data["case"])
        return self._answer(link.patrol)
