"""Patrol coverage per grid: the table and the wall screen's map layer."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import CENTRE_ROLES, has_role
from gridcenter.api import BaseAPIView
from grids.selectors import grid_ids_of
from grids.services import zoom_to_tolerance
from patrols import services
from patrols.api import serializers as s
from patrols.api.views.common import FIELD_ROLES, GEOJSON, MAP_ROLES, errors, valid
from patrols.limits import DAILY_PATROL_MINUTES


class CoverageView(BaseAPIView):
    """Patrol coverage per grid on a day (today by default): patrolled or not, minutes and
    distance. The centre sees every grid; a grid worker their own grids."""

    permission_classes = [FIELD_ROLES]

    @extend_schema(
        summary="Patrol coverage per grid on a day",
        parameters=[s.CoverageQuerySerializer],
        responses={200: s.CoverageSerializer, **errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        query = valid(s.CoverageQuerySerializer, request.query_params)
        day = query.get("date") or timezone.localdate()
        grid_ids = None if has_role(request.user, *CENTRE_ROLES) else sorted(grid_ids_of(request.user))
        items = services.grid_coverage(day, township=query.get("township"), grid_ids=grid_ids)
        shown = items if query["patrolled"] is None else [i for i in items if i.patrolled == query["patrolled"]]
        body = {
            "date": day,
            "min_minutes": DAILY_PATROL_MINUTES,
            "grids_total": len(items),
            "grids_patrolled": sum(1 for item in items if item.patrolled),
            "grids": shown,
        }
        return Response(s.CoverageSerializer(body).data)


class CoverageGeoJSONView(BaseAPIView):
    """The coverage layer of the wall-screen map: every grid's polygon with its patrol
    minutes, distance and level (none / short / done) on a day."""

    permission_classes = [MAP_ROLES]

    @extend_schema(
        summary="Coverage as GeoJSON (wall screen)",
        parameters=[s.CoverageMapQuerySerializer],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, **errors(400, 403)},
    )
    def get(self, request: Request) -> HttpResponse:
        query = valid(s.CoverageMapQuerySerializer, request.query_params)
        tolerance = zoom_to_tolerance(query["zoom"]) if "zoom" in query else 0.0
        text = services.coverage_geojson(query.get("date"), tolerance=tolerance, township=query.get("township"))
        response = HttpResponse(text, content_type=GEOJSON)
        response["Cache-Control"] = "private, max-age=30"
        return response
