"""How shapes are drawn: the real outline, then each level tiling its parent (k-means + Voronoi).

Finally the grids are cleaned together as one coverage, and every upper level becomes the
union of its grids, so each level tiles its parent exactly.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
import shapely.ops
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from grids.citygen.geometry import PRECISION_DEG, as_multipolygon, geometry_to_degrees, geometry_to_km, to_km
from grids.citygen.places import OUTLINE_FILE, TownshipRow
from grids.citygen.shapes import City


def make_outline() -> BaseGeometry:
    """Jishou's real outline (``places.OUTLINE_FILE``) in the km plane."""
    with OUTLINE_FILE.open(encoding="utf-8") as handle:
        outline = shape(json.load(handle))
    return shapely.make_valid(geometry_to_km(outline))


def seats_inside(rows: tuple[TownshipRow, ...], outline_km: BaseGeometry, margin: float = 1.0) -> list[Point]:
    """Each township's seat (km plane), inside the outline by ``margin`` km.

    The file's centres are approximate (±3-5 km); one the outline leaves out, or that
    lies too close to its edge, moves to the nearest point ``margin`` km inside.
    """
    inner = outline_km.buffer(-margin)
    seats = []
    for row in rows:
        seat = Point(to_km(row.lng, row.lat))
        seats.append(seat if inner.contains(seat) else shapely.ops.nearest_points(inner, seat)[0])
    return seats


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
    clipped = one_piece_each(list(shapely.intersection(cells, polygon)))
    # Re-label the samples by the final cells, so that the next level samples inside them.
    # (nearest centre, then the cell a sample lies in: pieces may have changed cells).
    points = shapely.points(samples)
    _index, labels = shapely.STRtree(shapely.points(centres)).query_nearest(points, all_matches=False)
    inside, cell_index = shapely.STRtree(clipped).query(points, predicate="within")
    labels[inside] = cell_index
    return clipped, labels


def one_piece_each(cells: list[BaseGeometry]) -> list[BaseGeometry]:
    """The same tiling with every cell in one piece, where the tiled shape allows.

    A convex cell clipped to a folded outline can fall apart; each piece but the largest
    joins the cell it shares the longest border with.
    """
    cells = list(cells)
    for index, cell in enumerate(cells):
        parts = sorted(shapely.get_parts(cell), key=lambda part: part.area, reverse=True)
        if len(parts) < 2:
            continue
        cells[index] = parts[0]
        for part in parts[1:]:
            borders = [
                shapely.length(shapely.intersection(part.boundary, other.boundary)) if other_index != index else 0.0
                for other_index, other in enumerate(cells)
            ]
            best = int(np.argmax(borders))
            if borders[best] > 0:
                cells[best] = shapely.union(cells[best], part)
            else:
                cells[index] = shapely.union(cells[index], part)
    return cells


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
