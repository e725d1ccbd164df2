"""How shapes are drawn: the outline, then each level tiling its parent (k-means + Voronoi).

Finally the grids are cleaned together as one coverage, and every upper level becomes the
union of its grids, so each level tiles its parent exactly.
"""

from __future__ import annotations

import math
import random

import numpy as np
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from grids.citygen.geometry import PRECISION_DEG, as_multipolygon, geometry_to_degrees, to_km
from grids.citygen.places import AREA_KM2, BBOX, township_rows
from grids.citygen.shapes import City


def make_outline(rng: random.Random) -> Polygon:
    """Jishou's outline (km plane): ~1,078 km² inside the real bounding box.

    The convex hull of the township seats, grown by a margin and given a radial wobble
    of a few harmonics, so that it looks surveyed rather than computed; the margin is
    found by bisection so that the clipped outline has the city's area.
    """
    bbox_km = box(*to_km(BBOX[0], BBOX[1]), *to_km(BBOX[2], BBOX[3]))
    seats = [to_km(row.lng, row.lat) for row in township_rows()]
    hull = shapely.MultiPoint(seats).convex_hull
    centre = hull.centroid
    harmonics = range(2, 11)
    phases = [rng.uniform(0, 2 * math.pi) for _ in harmonics]
    amplitudes = [rng.uniform(0.4, 1.0) * 0.05 * 2 / k for k in harmonics]
    # Whatever the wobble does, every seat stays well inside.
    seat_areas = shapely.MultiPoint(seats).buffer(2.0, quad_segs=4)

    def draw(margin: float) -> BaseGeometry:
        coords = np.asarray(hull.buffer(margin, quad_segs=8).exterior.segmentize(0.4).coords)
        angles = np.arctan2(coords[:, 1] - centre.y, coords[:, 0] - centre.x)
        factor = 1 + sum(a * np.sin(k * angles + p) for k, a, p in zip(harmonics, amplitudes, phases, strict=True))
        wobbled = np.column_stack(
            (centre.x + (coords[:, 0] - centre.x) * factor, centre.y + (coords[:, 1] - centre.y) * factor)
        )
        shape = max(shapely.get_parts(as_multipolygon(shapely.make_valid(Polygon(wobbled)))), key=lambda g: g.area)
        return shape.union(seat_areas).intersection(bbox_km)

    low, high = 0.0, 15.0
    outline = draw(low)
    for _ in range(40):
        middle = (low + high) / 2
        outline = draw(middle)
        if outline.area < AREA_KM2:
            low = middle
        else:
            high = middle
    return shapely.simplify(outline, 0.05)


def sample_points(polygon: BaseGeometry, count: int, rng: np.random.Generator, urban: list[tuple[float, float]]):
    """``count`` random points in ``polygon``, denser near the ``urban`` centres (km)."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    chosen: list[np.ndarray] = []
    total = 0
    centres = np.asarray(urban) if urban else np.zeros((0, 2))
    while total < count:
        batch = max(256, (count - total) * 4)
        xs = rng.uniform(minx, maxx, batch)
        ys = rng.uniform(miny, maxy, batch)
        inside = shapely.contains_xy(polygon, xs, ys)
        xs, ys = xs[inside], ys[inside]
        if len(centres):
            distance = np.min(np.hypot(xs[:, None] - centres[:, 0], ys[:, None] - centres[:, 1]), axis=1)
            weight = 0.12 + 0.88 * np.exp(-((distance / 3.5) ** 2))
            keep = rng.uniform(0, 1, len(xs)) < weight
            xs, ys = xs[keep], ys[keep]
        chosen.append(np.column_stack((xs, ys)))
        total += len(xs)
    return np.concatenate(chosen)[:count]


def kmeans(samples: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 8):
    """Centres and labels of a k-means clustering (nearest centre via an STRtree)."""
    centres = samples[rng.choice(len(samples), size=k, replace=False)].copy()
    labels = np.zeros(len(samples), dtype=int)
    points = shapely.points(samples)
    for _ in range(iterations):
        tree = shapely.STRtree(shapely.points(centres))
        _sample_index, labels = tree.query_nearest(points, all_matches=False)
        sums = np.zeros((k, 2))
        np.add.at(sums, labels, samples)
        counts = np.bincount(labels, minlength=k)
        occupied = counts > 0
        centres[occupied] = sums[occupied] / counts[occupied, None]
    return centres, labels


def split_polygon(polygon: BaseGeometry, samples: np.ndarray, k: int, rng: np.random.Generator):
    """Tile ``polygon`` into ``k`` cells; returns (cells, labels of ``samples``)."""
    if k == 1:
        return [polygon], np.zeros(len(samples), dtype=int)
    centres, _labels = kmeans(samples, k, rng)
    # Distinct centres (k-means can merge two); nudge duplicates.
    centres = centres + rng.normal(0, 1e-6, centres.shape)
    seeds = shapely.MultiPoint(centres)
    envelope = polygon.envelope.buffer(10)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=envelope, ordered=True))
    clipped = shapely.intersection(cells, polygon)
    # Re-label the samples by the final cells, so that the next level samples inside them.
    tree = shapely.STRtree(shapely.points(centres))
    _index, labels = tree.query_nearest(shapely.points(samples), all_matches=False)
    return list(clipped), labels


def clean_coverage(city: City, grid_cells_km: list[BaseGeometry]) -> None:
    """Give every shape its final boundary in degrees, as one clean polygonal coverage.

    The grids, snapped to the 1e-7° grid, are cleaned together (GEOS CoverageCleaner):
    shared edges then have identical vertices, with no slivers, overlaps or T-junctions.
    Communities, townships and the outline are unions of their grids, so every level
    tiles its parent exactly.
    """
    degrees = [geometry_to_degrees(cell) for cell in grid_cells_km]
    cleaned = shapely.coverage_clean(degrees, gap_width=PRECISION_DEG * 10)
    # Rounding can move two close vertices onto each other; clean once more on the grid.
    cleaned = shapely.coverage_clean(shapely.set_precision(cleaned, PRECISION_DEG), snapping_distance=0)
    grids = city.grids()
    for grid, geometry in zip(grids, cleaned, strict=True):
        grid.boundary = as_multipolygon(geometry)
    for township in city.townships:
        for community in township.communities:
            community.boundary = as_multipolygon(shapely.coverage_union_all([g.boundary for g in community.grids]))
        township.boundary = as_multipolygon(
            shapely.coverage_union_all([g.boundary for c in township.communities for g in c.grids])
        )
    city.outline = as_multipolygon(shapely.coverage_union_all([grid.boundary for grid in grids]))
