"""Townships, their communities and villages, and the grids tiling them.

Townships are the Voronoi cells of their seats, clipped to the city's real outline. Inside each, a
weighted k-means on random points (denser towards the urban core, so grids there are
small) seeds the communities' Voronoi cells, and each community's cells seed its grids.
The shapes here are still in kilometres; ``tiling.clean_coverage`` gives the final ones.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from grids import codes
from grids.choices import CommunityKind, TownshipKind
from grids.citygen.geometry import EMPTY, seat_degrees
from grids.citygen.names import community_names
from grids.citygen.places import NAMED_COMMUNITIES, NAMED_WORKERS, TownshipRow
from grids.citygen.shapes import CommunityShape, GridShape, TownshipShape
from grids.citygen.tiling import sample_points, split_polygon


@dataclass
class Drawing:
    """What every level of the drawing shares: the two random streams, the urban centres,
    and the grid cells drawn so far (km plane, in the order of ``City.grids()``)."""

    rng: random.Random
    nprng: np.random.Generator
    scale: int
    urban_centres: list[tuple[float, float]]
    grid_cells_km: list[tuple[str, BaseGeometry]] = field(default_factory=list)


def split_counts(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def community_count(row: TownshipRow, grids: int, scale: int) -> int:
    per = 8 if row.kind == TownshipKind.SUBDISTRICT else 3
    return max(1, min(grids, math.ceil(row.grids / per) * math.ceil(math.sqrt(scale))))


def community_kinds(row: TownshipRow, count: int) -> list[str]:
    if row.kind == TownshipKind.SUBDISTRICT:
        urban = math.ceil(count * 2 / 3)
    elif row.kind == TownshipKind.TOWN:
        urban = 1
    else:
        urban = 0
    return [CommunityKind.COMMUNITY if index < urban else CommunityKind.VILLAGE for index in range(count)]


def draw_townships(
    rows: tuple[TownshipRow, ...], seats: list[Point], outline_km: BaseGeometry, drawing: Drawing
) -> list[TownshipShape]:
    """Every township with its communities and grids, in the order of ``rows``: the
    Voronoi cell of its seat, clipped to the outline."""
    envelope = outline_km.envelope.buffer(20)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(seats), extend_to=envelope, ordered=True))
    township_cells = shapely.intersection(cells, outline_km)
    kind_counters: dict[str, int] = {}
    townships: list[TownshipShape] = []
    for row, seat, cell in zip(rows, seats, township_cells, strict=True):
        index = kind_counters.get(row.kind, 0)
        kind_counters[row.kind] = index + 1
        townships.append(_draw_township(row, seat, cell, codes.township_code(row.kind, index), drawing))
    return townships


def _draw_township(row: TownshipRow, seat: Point, cell: BaseGeometry, code: str, drawing: Drawing) -> TownshipShape:
    grid_total = row.grids * drawing.scale
    n_communities = community_count(row, grid_total, drawing.scale)
    kinds = community_kinds(row, n_communities)
    grid_counts = split_counts(grid_total, n_communities)
    fixed: dict[int, str] = {}
    if row.name in NAMED_COMMUNITIES:
        name, kind = NAMED_COMMUNITIES[row.name]
        fixed[kinds.index(kind)] = name
    names = community_names(drawing.rng, n_communities, kinds, set(), fixed)

    urban = drawing.urban_centres + [(seat.x, seat.y)]
    samples = sample_points(cell, max(grid_total * 40, 400), drawing.nprng, urban)
    community_cells, labels = split_polygon(cell, samples, n_communities, drawing.nprng)
    township = TownshipShape(
        code=code, name=row.name, kind=row.kind, seat=seat_degrees(seat), population=row.population, boundary=EMPTY
    )
    per_grid_population = (row.population or row.grids * 430) / grid_total
    kind_index: dict[str, int] = {CommunityKind.COMMUNITY: 0, CommunityKind.VILLAGE: 0}
    for c_index, (community_cell, n_grids) in enumerate(zip(community_cells, grid_counts, strict=True)):
        c_kind = kinds[c_index]
        c_code = codes.community_code(code, c_kind, kind_index[c_kind])
        kind_index[c_kind] += 1
        community = CommunityShape(code=c_code, name=names[c_index], kind=c_kind, boundary=EMPTY)
        own = samples[labels == c_index]
        _draw_grids(community, community_cell, own, n_grids, per_grid_population, drawing)
        township.communities.append(community)
    return township


def _draw_grids(
    community: CommunityShape,
    cell: BaseGeometry,
    own: np.ndarray,
    n_grids: int,
    per_grid_population: float,
    drawing: Drawing,
) -> None:
    """Tile a community with ``n_grids`` grids (from its own sample points, or fresh ones)."""
    if len(own) < n_grids * 5:
        own = sample_points(cell, n_grids * 20, drawing.nprng, [])
    grid_cells, _grid_labels = split_polygon(cell, own, n_grids, drawing.nprng)
    for g_index, grid_cell in enumerate(grid_cells, start=1):
        g_code = codes.grid_code(community.code, g_index)
        population = max(30, round(per_grid_population * drawing.nprng.lognormal(0, 0.25)))
        households = round(population / drawing.rng.uniform(2.8, 3.4))
        named = NAMED_WORKERS.get((community.name, g_index))
        if named:
            _worker, population, households = named
        community.grids.append(
            GridShape(
                code=g_code,
                name=f"{community.name}第{g_index}网格",
                boundary=EMPTY,
                population=population,
                households=households,
            )
        )
        drawing.grid_cells_km.append((g_code, grid_cell))
