"""Serializers of the grids API: query parameters in, public facts out."""

from __future__ import annotations

import math
from typing import cast

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from gridcenter.api import RefSerializer
from grids.services import MAX_SIMPLIFY_DEGREES, BBox


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise serializers.ValidationError(_("Enter a finite number."))
    return value


class PointQuerySerializer(serializers.Serializer):
    """A WGS-84 point given as ``?lat=&lng=``."""

    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude, WGS-84 degrees"))
    lng = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude, WGS-84 degrees"))

    def validate_lat(self, value: float) -> float:
        return _finite(value)

    def validate_lng(self, value: float) -> float:
        return _finite(value)


class NearestQuerySerializer(PointQuerySerializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=10)


class MapQuerySerializer(serializers.Serializer):
    """``?simplify=<degrees>`` or ``?zoom=<0-20>``, and an optional ``?bbox=w,s,e,n``."""

    simplify = serializers.FloatField(min_value=0, max_value=MAX_SIMPLIFY_DEGREES, required=False)
    zoom = serializers.IntegerField(min_value=0, max_value=22, required=False)
    bbox = serializers.CharField(required=False, help_text=_("west,south,east,north in WGS-84 degrees"))
    township = serializers.CharField(required=False, max_length=9)

    def validate_simplify(self, value: float) -> float:
        return _finite(value)

    def validate_bbox(self, value: str) -> BBox:
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError(_("Give four numbers: west,south,east,north.")) from None
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise serializers.ValidationError(_("Enter finite numbers."))
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise serializers.ValidationError(_("Not a valid WGS-84 bounding box."))
        return BBox(west, south, east, north)


class PublicWorkerSerializer(serializers.Serializer):
    """A grid worker's public contact (公示): name and phone, nothing else."""

    name = serializers.CharField()
    phone = serializers.CharField()
    is_lead = serializers.BooleanField()


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class GridSummarySerializer(UnitSerializer):
    id = serializers.IntegerField()
    population = serializers.IntegerField()
    households = serializers.IntegerField()


class LocateSerializer(serializers.Serializer):
    """The answer to "which grid is this point in?"."""

    grid = serializers.SerializerMethodField()
    community = serializers.SerializerMethodField()
    township = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()
    generation = serializers.IntegerField(source="generation_id")

    def get_grid(self, grid) -> dict:
        return GridSummarySerializer(grid).data

    def get_community(self, grid) -> dict:
        return UnitSerializer(grid.community).data

    def get_township(self, grid) -> dict:
        return UnitSerializer(grid.community.township).data

    def get_workers(self, grid) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list (the stubs type it as one object).
        return cast(list[dict], PublicWorkerSerializer(grid.public_workers, many=True).data)


class CameraSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    lat = serializers.FloatField(source="point.y")
    lng = serializers.FloatField(source="point.x")
    grid = serializers.CharField(source="grid.code", allow_null=True, default=None)
    stream_url = serializers.CharField()
    distance_m = serializers.FloatField()


class GridRefSerializer(RefSerializer):
    """A grid named in another resource (a case, a patrol, a diary entry)."""


class LocatedGridSerializer(RefSerializer):
    community = serializers.CharField(source="community.name")
    township = serializers.CharField(source="community.township.name")
