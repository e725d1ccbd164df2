"""The grids API: thin views over ``grids.services``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.permissions import role_permission
from accounts.roles import WALL_SCREEN_ROLES
from gridcenter.api import BaseAPIView, PublicRateThrottle
from grids import services
from grids.api.serializers import (
    CameraSerializer,
    LocateSerializer,
    MapQuerySerializer,
    NearestQuerySerializer,
    PointQuerySerializer,
)

GEOJSON = "application/geo+json"
MAP_ROLES = role_permission(*WALL_SCREEN_ROLES)


def _query(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _geojson_response(text: str) -> HttpResponse:
    response = HttpResponse(text, content_type=GEOJSON)
    response["Cache-Control"] = "public, max-age=60"
    return response


def _tolerance(params: dict) -> float:
    if "simplify" in params:
        return params["simplify"]
    if "zoom" in params:
        return services.zoom_to_tolerance(params["zoom"])
    return 0.0


class LocateView(BaseAPIView):
    """The grid covering a WGS-84 point, its community and township, and its grid
    workers' public contact. Public: anyone may ask."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    authentication_classes: list = []

    @extend_schema(
        parameters=[PointQuerySerializer],
        responses={200: LocateSerializer, 400: OpenApiResponse(description="bad coordinate"), 404: None},
    )
    def get(self, request: Request) -> Response:
        point = _query(PointQuerySerializer, request)
        grid = services.locate(point["lat"], point["lng"], with_workers=True)
        if grid is None:
            raise NotFound(_("This point is outside the city's grids."), code="outside")
        return Response(LocateSerializer(grid).data)


class NearestCamerasView(BaseAPIView):
    """The cameras nearest to a point (KNN on the spatial index), for the centre's staff."""

    permission_classes = [MAP_ROLES]

    @extend_schema(parameters=[NearestQuerySerializer], responses=CameraSerializer(many=True))
    def get(self, request: Request) -> Response:
        query = _query(NearestQuerySerializer, request)
        cameras = services.nearest_cameras(query["lat"], query["lng"], query["limit"])
        return Response(CameraSerializer(cameras, many=True).data)


class GridsGeoJSONView(BaseAPIView):
    """All grids of the active map as GeoJSON; ``?zoom=`` or ``?simplify=`` simplifies them."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(parameters=[MapQuerySerializer], responses={(200, GEOJSON): OpenApiTypes.OBJECT})
    def get(self, request: Request) -> HttpResponse:
        params = _query(MapQuerySerializer, request)
        return _geojson_response(
            services.grids_geojson(
                tolerance=_tolerance(params), bbox=params.get("bbox"), township=params.get("township")
            )
        )


class TownshipsGeoJSONView(BaseAPIView):
    """The townships as GeoJSON."""

    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(parameters=[MapQuerySerializer], responses={(200, GEOJSON): OpenApiTypes.OBJECT})
    def get(self, request: Request) -> HttpResponse:
        params = _query(MapQuerySerializer, request)
        return _geojson_response(services.townships_geojson(tolerance=_tolerance(params)))


class CamerasGeoJSONView(BaseAPIView):
    """The cameras as GeoJSON points, for the centre's staff."""

    permission_classes = [MAP_ROLES]

    @extend_schema(parameters=[MapQuerySerializer], responses={(200, GEOJSON): OpenApiTypes.OBJECT})
    def get(self, request: Request) -> HttpResponse:
        params = _query(MapQuerySerializer, request)
        return _geojson_response(services.cameras_geojson(bbox=params.get("bbox")))
