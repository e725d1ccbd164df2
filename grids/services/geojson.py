"""Grids, townships and cameras as compact GeoJSON, simplified for the zoom, filtered by ``&&``."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import AsGeoJSON, GeomOutputGeoFunc
from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet

from grids.models import Camera, Grid, Township

# Coordinates in GeoJSON: 7 decimals ≈ 1 cm, the demo city's storage grid;
# simplified maps need no more than 5 (≈ 1 m).
GEOJSON_PRECISION = 7
SIMPLIFIED_PRECISION = 5
MAX_SIMPLIFY_DEGREES = 0.05


class SimplifyPreserveTopology(GeomOutputGeoFunc):
    function = "ST_SimplifyPreserveTopology"


def zoom_to_tolerance(zoom: int) -> float:
    """Half a screen pixel at that web-map zoom level, in degrees."""
    return 360 / (256 * 2**zoom) / 2


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float

    def polygon(self) -> Polygon:
        return Polygon.from_bbox((self.west, self.south, self.east, self.north))


def _compact_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _feature_collection(rows) -> str:
    """Compact GeoJSON text: geometries come from PostGIS as text and are not re-parsed."""
    features = [
        f'{{"type":"Feature","id":{pk},"geometry":{geometry},"properties":{_compact_json(properties)}}}'
        for pk, geometry, properties in rows
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _geometry(field: str, tolerance: float) -> AsGeoJSON:
    if tolerance > 0:
        return AsGeoJSON(SimplifyPreserveTopology(field, tolerance), precision=SIMPLIFIED_PRECISION)
    return AsGeoJSON(field, precision=GEOJSON_PRECISION)


def grids_geojson(
    *, tolerance: float = 0.0, bbox: BBox | None = None, township: str | None = None, generation=None
) -> str:
    grids: QuerySet[Grid] = Grid.objects.filter(generation=generation) if generation else Grid.objects.active()
    if bbox is not None:
        grids = grids.filter(boundary__bboverlaps=bbox.polygon())
    if township:
        grids = grids.filter(community__township__code=township)
    rows = (
        grids.order_by("code")
        .annotate(geojson=_geometry("boundary", tolerance))
        .values_list("id", "code", "name", "geojson")
    )
    # The name says the community; the code says the township (grids.codes).
    return _feature_collection((pk, geojson, {"code": code, "name": name}) for pk, code, name, geojson in rows)


def townships_geojson(*, tolerance: float = 0.0) -> str:
    rows = (
        Township.objects.order_by("code")
        .annotate(geojson=_geometry("boundary", tolerance))
        .values_list("id", "code", "name", "kind", "geojson")
    )
    return _feature_collection(
        (pk, geojson, {"code": code, "name": name, "kind": kind}) for pk, code, name, kind, geojson in rows
    )


def cameras_geojson(*, bbox: BBox | None = None) -> str:
    cameras = Camera.objects.all()
    if bbox is not None:
        cameras = cameras.filter(point__bboverlaps=bbox.polygon())
    rows = (
        cameras.order_by("code")
        .annotate(geojson=AsGeoJSON("point", precision=SIMPLIFIED_PRECISION))
        .values_list("id", "code", "name", "kind", "status", "geojson")
    )
    return _feature_collection(
        (pk, geojson, {"code": code, "name": name, "kind": kind, "status": status})
        for pk, code, name, kind, status, geojson in rows
    )
