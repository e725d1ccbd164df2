"""The local kilometre plane the city is drawn in, and the way back to WGS-84 degrees.

The plane is equirectangular about the centre of the city's bounding box: within 0.2%
over the city, and plain arithmetic, so shapely can work in kilometres.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from grids.citygen.places import BBOX

# Local plane: kilometres east and north of the bounding box's centre.
LNG0 = (BBOX[0] + BBOX[2]) / 2
LAT0 = (BBOX[1] + BBOX[3]) / 2
KM_PER_DEG_LAT = 110.824
KM_PER_DEG_LNG = 111.320 * math.cos(math.radians(LAT0))

PRECISION_DEG = 1e-7


def to_km(lng: float, lat: float) -> tuple[float, float]:
    return (lng - LNG0) * KM_PER_DEG_LNG, (lat - LAT0) * KM_PER_DEG_LAT


def seat_degrees(point: Point) -> tuple[float, float]:
    """A km-plane point as (lng, lat), on the 1e-7° grid."""
    return round(point.x / KM_PER_DEG_LNG + LNG0, 7), round(point.y / KM_PER_DEG_LAT + LAT0, 7)


def geometry_to_degrees(geometry: BaseGeometry) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        return np.column_stack((coords[:, 0] / KM_PER_DEG_LNG + LNG0, coords[:, 1] / KM_PER_DEG_LAT + LAT0))

    return shapely.transform(geometry, transform)


def geometry_to_km(geometry: BaseGeometry) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(((coords[:, 0] - LNG0) * KM_PER_DEG_LNG, (coords[:, 1] - LAT0) * KM_PER_DEG_LAT))

    return shapely.transform(geometry, transform)


def area_km2(geometry_deg: BaseGeometry) -> float:
    """Area of a lng/lat geometry in km² (local plane; within 0.2% over the city)."""
    return geometry_to_km(geometry_deg).area


def as_multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    """The polygonal part of a geometry as a MultiPolygon (lines and points dropped)."""
    parts = shapely.get_parts(geometry)
    polygons: list[Polygon] = []
    for part in parts:
        if isinstance(part, Polygon):
            if not part.is_empty:
                polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
        elif hasattr(part, "geoms"):
            polygons.extend(as_multipolygon(part).geoms)
    return MultiPolygon(polygons)


EMPTY = MultiPolygon()
