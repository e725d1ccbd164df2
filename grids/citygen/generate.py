"""The whole demo city from a seed: outline, townships, grids, then the people and cameras."""

from __future__ import annotations

import random

import numpy as np
import shapely

from grids.citygen.cameras import make_cameras
from grids.citygen.geometry import EMPTY
from grids.citygen.places import DEFAULT_SEED, URBAN_CORE, township_rows
from grids.citygen.shapes import City
from grids.citygen.tiling import clean_coverage, make_outline, seats_inside
from grids.citygen.townships import Drawing, draw_townships
from grids.citygen.workers import make_workers


def generate_city(seed: int = DEFAULT_SEED, scale: int = 1, *, people: bool = True) -> City:
    """The whole demo city (see the package docstring); deterministic for a seed.

    ``people=False`` leaves out the grid workers and cameras (for map-only benchmarks).
    The order of the random draws is part of the result: the same seed, the same city.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not secrets
    nprng = np.random.default_rng(seed)
    rows = township_rows()
    outline_km = make_outline()
    shapely.prepare(outline_km)
    seats = seats_inside(rows, outline_km)
    urban_centres = [(seat.x, seat.y) for row, seat in zip(rows, seats, strict=True) if row.name in URBAN_CORE]

    drawing = Drawing(rng=rng, nprng=nprng, scale=scale, urban_centres=urban_centres)
    townships = draw_townships(rows, seats, outline_km, drawing)
    city = City(seed=seed, scale=scale, outline=EMPTY, townships=townships, workers=[], cameras=[])
    clean_coverage(city, [cell for _code, cell in drawing.grid_cells_km])
    if not people:
        return city
    city.workers = make_workers(city, rows, rng, scale)
    city.cameras = make_cameras(city, outline_km, urban_centres, seats, drawing.grid_cells_km, rng, nprng, scale)
    return city
