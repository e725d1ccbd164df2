"""What the rest of the code asks of the map: point → grid, nearest cameras, GeoJSON, generations.

Every query here runs on a GiST index: ``covers`` for point → grid, the ``<->`` KNN
operator for nearest cameras, ``&&`` for bounding-box filters.
"""

from grids.services.generations import activate_generation
from grids.services.geojson import (
    GEOJSON_PRECISION,
    MAX_SIMPLIFY_DEGREES,
    SIMPLIFIED_PRECISION,
    BBox,
    cameras_geojson,
    grids_geojson,
    townships_geojson,
    zoom_to_tolerance,
)
from grids.services.locate import locate, make_point, nearest_cameras, public_workers

__all__ = [
    "GEOJSON_PRECISION",
    "MAX_SIMPLIFY_DEGREES",
    "SIMPLIFIED_PRECISION",
    "BBox",
    "activate_generation",
    "cameras_geojson",
    "grids_geojson",
    "locate",
    "make_point",
    "nearest_cameras",
    "public_workers",
    "townships_geojson",
    "zoom_to_tolerance",
]
