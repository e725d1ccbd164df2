"""What the rest of the code asks of the map: point → grid, nearest cameras, GeoJSON.

Every query here runs on a GiST index: ``covers`` for point → grid, the ``<->`` KNN
operator for nearest cameras, ``&&`` for bounding-box filters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.gis.db.models.functions import AsGeoJSON, Distance, GeomOutputGeoFunc
from django.contrib.gis.geos import Point, Polygon
from django.db import connection, transaction
from django.db.models import F, Func, QuerySet, Value
from django.db.models.fields import FloatField

from grids.models import STORAGE_SRID, Camera, Community, Generation, Grid, GridWorker, Township

# Coordinates in GeoJSON: 7 decimals ≈ 1 cm, the demo city's storage grid;
# simplified maps need no more than 5 (≈ 1 m).
GEOJSON_PRECISION = 7
SIMPLIFIED_PRECISION = 5
MAX_SIMPLIFY_DEGREES = 0.05


def make_point(lat: float, lng: float) -> Point:
    return Point(lng, lat, srid=STORAGE_SRID)


def public_workers(grid: Grid) -> list[GridWorker]:
    """A grid's workers whose contact is public (公示), leads first. Nothing else is public."""
    return list(
        GridWorker.objects.filter(grids=grid, is_public=True)
        .only("id", "name", "phone", "is_lead")
        .order_by("-is_lead", "user__username")
    )


# Point → grid in one indexed query. Written out rather than built by the ORM: this runs
# for every report and every tap on the public map, and compiling the equivalent
# queryset (three joined models) costs several times more than the query itself.
_LOCATE_SELECT = """
    SELECT g.id, g.generation_id, g.community_id, g.code, g.name, g.population, g.households,
           c.township_id, c.code, c.name, c.kind, t.code, t.name, t.kind
    FROM grids_grid g
    JOIN grids_community c ON c.id = g.community_id
    JOIN grids_township t ON t.id = c.township_id
"""
_LOCATE_ACTIVE = (
    _LOCATE_SELECT
    + """
    JOIN grids_generation v ON v.id = g.generation_id
    WHERE v.is_active AND ST_Covers(g.boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
    ORDER BY g.code LIMIT 1
"""
)
_LOCATE_IN_GENERATION = (
    _LOCATE_SELECT
    + """
    WHERE g.generation_id = %s AND ST_Covers(g.boundary, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
    ORDER BY g.code LIMIT 1
"""
)
# Model.from_db() takes the values in the order of the model's fields.
_GRID_FIELDS = ["id", "generation_id", "community_id", "code", "name", "population", "households"]
_COMMUNITY_FIELDS = ["id", "township_id", "code", "name", "kind"]
_TOWNSHIP_FIELDS = ["id", "code", "name", "kind"]


def locate(lat: float, lng: float, *, generation: Generation | None = None, with_workers: bool = False) -> Grid | None:
    """The grid covering a WGS-84 point, in the active generation (or the given one).

    A point on an edge or vertex shared by several grids goes to the grid with the
    lowest code, so the answer never depends on the query plan. The grid comes with its
    community and township (their polygons are deferred), and with ``with_workers`` its
    ``public_workers``.
    """
    with connection.cursor() as cursor:
        if generation is None:
            cursor.execute(_LOCATE_ACTIVE, [lng, lat])
        else:
            cursor.execute(_LOCATE_IN_GENERATION, [generation.pk, lng, lat])
        row = cursor.fetchone()
    if row is None:
        return None
    db = connection.alias
    grid = Grid.from_db(db, _GRID_FIELDS, row[:7])
    community = Community.from_db(db, _COMMUNITY_FIELDS, (row[2], *row[7:11]))
    community.township = Township.from_db(db, _TOWNSHIP_FIELDS, (row[7], *row[11:14]))
    grid.community = community
    if with_workers:
        grid.public_workers = public_workers(grid)
    return grid


class KNNDistance(Func):
    """``a <-> b``: the index-assisted (planar, degrees) distance that orders a KNN scan."""

    arg_joiner = " <-> "
    template = "%(expressions)s"
    output_field = FloatField()


def nearest_cameras(lat: float, lng: float, limit: int = 10) -> list[Camera]:
    """The ``limit`` cameras nearest to a point, each with ``distance_m`` (metres, on the sphere).

    The KNN scan orders by planar distance in degrees; it fetches a margin of extra
    candidates and re-ranks them by true distance, which a degree of longitude (shorter
    than one of latitude here) would otherwise skew.
    """
    point = make_point(lat, lng)
    candidates = (
        Camera.objects.select_related("grid")
        .annotate(knn=KNNDistance(F("point"), Value(point, output_field=Camera._meta.get_field("point"))))
        .order_by("knn")
        .annotate(distance=Distance("point", point))[: limit * 2 + 8]
    )
    ranked = sorted(candidates, key=lambda camera: camera.distance.m)[:limit]
    for camera in ranked:
        camera.distance_m = round(camera.distance.m, 1)
    return ranked


# --- generations -------------------------------------------------------------------------


@transaction.atomic
def activate_generation(generation: Generation) -> int:
    """Make ``generation`` the live grid map and move each camera to the grid now covering it.

    Old grids stay (cases keep theirs). Returns the number of cameras re-linked.
    """
    generation.activate()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE grids_camera AS camera SET grid_id = (
                SELECT grid.id FROM grids_grid AS grid
                WHERE grid.generation_id = %s AND ST_Covers(grid.boundary, camera.point)
                ORDER BY grid.code LIMIT 1
            )
            """,
            [generation.pk],
        )
        return cursor.rowcount


# --- GeoJSON -------------------------------------------------------------------------------


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


def grids_of(user) -> list[dict]:
    """The active-map grids a grid worker serves, for ``GET /api/v1/me/``."""
    return list(
        Grid.objects.active()
        .filter(workers__user=user)
        .order_by("code")
        .values("id", "code", "name", community_name=F("community__name"), township_name=F("community__township__name"))
    )
