"""Point → grid and nearest cameras: each a query on a GiST index (``covers``, ``<->`` KNN)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db import connection
from django.db.models import F, Func, Value
from django.db.models.fields import FloatField

from grids.models import STORAGE_SRID, Camera, Community, Generation, Grid, GridWorker, Township

if TYPE_CHECKING:
    from django.contrib.gis import measure
    from django_stubs_ext import WithAnnotations

    class PublicWorkers(TypedDict):
        public_workers: list[GridWorker]

    class CameraDistance(TypedDict):
        distance: measure.Distance
        distance_m: float

    # What ``locate(with_workers=True)`` and ``nearest_cameras`` set on what they return.
    GridWithWorkers = WithAnnotations[Grid, PublicWorkers]
    NearCamera = WithAnnotations[Camera, CameraDistance]


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
        cast("GridWithWorkers", grid).public_workers = public_workers(grid)
    return grid


class KNNDistance(Func):
    """``a <-> b``: the index-assisted (planar, degrees) distance that orders a KNN scan."""

    arg_joiner = " <-> "
    template = "%(expressions)s"
    output_field = FloatField()


def nearest_cameras(lat: float, lng: float, limit: int = 10) -> list[NearCamera]:
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
    ranked = cast("list[NearCamera]", sorted(candidates, key=lambda camera: camera.distance.m)[:limit])
    for camera in ranked:
        camera.distance_m = round(camera.distance.m, 1)
    return ranked
