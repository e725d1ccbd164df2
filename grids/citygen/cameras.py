"""Cameras: 1,962 per unit of scale, where a city puts them (the urban core, main roads,
rivers, township seats) and a few in the forest for fire watch."""

from __future__ import annotations

import random

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from grids import codes
from grids.choices import CameraKind, CameraStatus
from grids.citygen.geometry import KM_PER_DEG_LAT, KM_PER_DEG_LNG, LAT0, LNG0, to_km
from grids.citygen.names import KIND_SHORT
from grids.citygen.places import RIVERS, ROADS
from grids.citygen.shapes import CameraSpec, City

CAMERAS_PER_SCALE = 1962


def point_on_line(line: LineString, rng: random.Random, nprng: np.random.Generator, jitter: float) -> Point:
    point = line.interpolate(rng.uniform(0, line.length))
    return Point(point.x + nprng.normal(0, jitter), point.y + nprng.normal(0, jitter))


def make_cameras(
    city: City,
    outline_km: BaseGeometry,
    urban_centres: list[tuple[float, float]],
    seats: list[Point],
    grid_cells_km: list[tuple[str, BaseGeometry]],
    rng: random.Random,
    nprng: np.random.Generator,
    scale: int,
) -> list[CameraSpec]:
    points = _camera_points(CAMERAS_PER_SCALE * scale, outline_km, urban_centres, seats, rng, nprng)
    found = _grid_positions(points, grid_cells_km)
    names = {grid.code: grid.name for grid in city.grids()}
    cameras = []
    width = 7
    for number, (point, kind) in enumerate(points, start=1):
        grid_code = grid_cells_km[found[number - 1]][0] if (number - 1) in found else None
        lng, lat = point.x / KM_PER_DEG_LNG + LNG0, point.y / KM_PER_DEG_LAT + LAT0
        place = names[grid_code].split("第")[0] if grid_code else "吉首市"
        cameras.append(
            CameraSpec(
                code=f"{codes.CITY_CODE}00" + "00" + "132" + f"{number:0{width}d}",
                name=f"{place}{KIND_SHORT[kind]}{number}号",
                lng=round(lng, 7),
                lat=round(lat, 7),
                grid_code=grid_code,
                kind=kind,
                status=_camera_status(rng),
            )
        )
    return cameras


def _camera_points(
    total: int,
    outline_km: BaseGeometry,
    urban_centres: list[tuple[float, float]],
    seats: list[Point],
    rng: random.Random,
    nprng: np.random.Generator,
) -> list[tuple[Point, str]]:
    """``total`` camera positions (km plane) inside the outline, each with its kind."""
    roads = [LineString([to_km(*c) for c in coords]) for coords in ROADS.values()]
    rivers = [LineString([to_km(*c) for c in coords]) for coords in RIVERS.values()]
    points: list[tuple[Point, str]] = []
    while len(points) < total:
        draw = rng.random()
        if draw < 0.45:
            cx, cy = rng.choice(urban_centres)
            point = Point(cx + nprng.normal(0, 1.6), cy + nprng.normal(0, 1.6))
            kind = CameraKind.SECURITY if rng.random() < 0.6 else CameraKind.PUBLIC_PLACE
        elif draw < 0.65:
            point, kind = point_on_line(rng.choice(roads), rng, nprng, 0.08), CameraKind.ROAD
        elif draw < 0.75:
            point, kind = point_on_line(rng.choice(rivers), rng, nprng, 0.08), CameraKind.RIVER
        elif draw < 0.92:
            seat = rng.choice(seats)
            cx, cy = seat.x, seat.y
            point = Point(cx + nprng.normal(0, 0.7), cy + nprng.normal(0, 0.7))
            kind = CameraKind.SECURITY if rng.random() < 0.7 else CameraKind.PUBLIC_PLACE
        else:
            minx, miny, maxx, maxy = outline_km.bounds
            point, kind = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)), CameraKind.FOREST
        if outline_km.contains(point):
            points.append((point, kind))
    return points


def _grid_positions(points: list[tuple[Point, str]], grid_cells_km: list[tuple[str, BaseGeometry]]) -> dict[int, int]:
    """Camera position → position of the first grid cell it lies in (cameras outside: absent)."""
    tree = shapely.STRtree([cell for _code, cell in grid_cells_km])
    grid_index = tree.query(shapely.points([(p.x, p.y) for p, _kind in points]), predicate="intersects")
    found: dict[int, int] = {}
    for point_position, cell_position in zip(grid_index[0], grid_index[1], strict=True):
        found.setdefault(int(point_position), int(cell_position))
    return found


def _camera_status(rng: random.Random) -> str:
    """Most cameras are online; a few offline, fewer faulty."""
    status_draw = rng.random()
    if status_draw < 0.92:
        return CameraStatus.ONLINE
    if status_draw < 0.98:
        return CameraStatus.OFFLINE
    return CameraStatus.FAULT
