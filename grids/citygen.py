"""Generate the demo city, Jishou, in memory (shapely, numpy; no database).

``generate_city(seed, scale)`` returns a :class:`City`: the outline, the 15 townships
of ``grids/data/townships.csv`` near their real centres, their communities and
villages, the grids tiling them, grid workers and cameras. The same seed gives the
same city. ``grids.demo`` writes it to the database; the tests and ``bench/`` use it
directly. ``scale`` multiplies the grids, workers and cameras (communities by its
square root) inside the same outline: ``scale=146`` is a ~100,000-grid city.

How it is drawn, all in a local kilometre plane (equirectangular about the city):

1. the outline: the convex hull of the township centres and four anchors near the
   edges of the real bounding box, with a low-frequency radial wobble, buffered by the
   distance that gives 1,078 km² (bisection) and clipped to the bounding box;
2. townships: the Voronoi diagram of their centres, clipped to the outline;
3. communities, then grids: a weighted k-means on random sample points of the parent
   (denser towards the urban core, so grids there are small), whose centres seed a
   Voronoi diagram clipped to the parent. Each level tiles its parent.

Finally every shape goes back to WGS-84 degrees, snapped to a 1e-7° (~1 cm) grid.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from grids import codes
from grids.choices import CameraKind, CameraStatus, CommunityKind, Employment, TownshipKind

DATA_FILE = Path(__file__).resolve().parent / "data" / "townships.csv"

# The real city (DESIGN.md, domain/README.md).
BBOX = (109.500, 28.133, 110.067, 28.483)  # min lng, min lat, max lng, max lat
AREA_KM2 = 1078.33
CENTRE = (109.712, 28.276)
URBAN_CORE = ("乾州街道", "镇溪街道", "峒河街道")
DEFAULT_SEED = 2013

# Local plane: kilometres east and north of the bounding box's centre.
LNG0 = (BBOX[0] + BBOX[2]) / 2
LAT0 = (BBOX[1] + BBOX[3]) / 2
KM_PER_DEG_LAT = 110.824
KM_PER_DEG_LNG = 111.320 * math.cos(math.radians(LAT0))

PRECISION_DEG = 1e-7

# Main roads and rivers (approximate, lng/lat), for cameras and the maps.
ROADS = {
    "G319": [
        (109.505, 28.336),
        (109.596, 28.330),
        (109.660, 28.322),
        (109.720, 28.310),
        (109.738, 28.303),
        (109.780, 28.270),
        (109.830, 28.220),
        (109.860, 28.190),
        (109.920, 28.160),
    ],
    "G209": [
        (109.770, 28.478),
        (109.775, 28.405),
        (109.750, 28.350),
        (109.738, 28.303),
        (109.712, 28.256),
        (109.680, 28.215),
        (109.660, 28.140),
    ],
    "S229": [
        (109.738, 28.303),
        (109.800, 28.330),
        (109.880, 28.325),
        (109.935, 28.385),
        (110.010, 28.400),
        (110.060, 28.420),
    ],
}
RIVERS = {
    "峒河": [
        (109.515, 28.345),
        (109.596, 28.332),
        (109.660, 28.333),
        (109.728, 28.318),
        (109.760, 28.300),
        (109.820, 28.250),
        (109.860, 28.192),
    ],
    "万溶江": [(109.700, 28.140), (109.750, 28.178), (109.800, 28.188), (109.860, 28.192)],
}

# Named places of the seed city's story (domain/README.md).
NAMED_COMMUNITIES = {"峒河街道": ("大田社区", CommunityKind.COMMUNITY), "寨阳乡": ("坪朗村", CommunityKind.VILLAGE)}
NAMED_WORKERS = {("大田社区", 7): ("刘少贵", 800, 260), ("坪朗村", 3): ("施富保", 250, 78)}


@dataclass(frozen=True)
class TownshipRow:
    name: str
    kind: str  # TownshipKind value
    lat: float
    lng: float
    grids: int
    workers: int
    population: int | None


@dataclass
class GridShape:
    code: str
    name: str
    boundary: MultiPolygon  # lng/lat
    population: int
    households: int


@dataclass
class CommunityShape:
    code: str
    name: str
    kind: str
    boundary: MultiPolygon
    grids: list[GridShape] = field(default_factory=list)


@dataclass
class TownshipShape:
    code: str
    name: str
    kind: str
    seat: tuple[float, float]  # lng, lat
    population: int | None
    boundary: MultiPolygon
    communities: list[CommunityShape] = field(default_factory=list)


@dataclass
class WorkerSpec:
    username: str
    name: str
    phone: str
    grid_code: str
    is_lead: bool
    is_public: bool
    employment: str


@dataclass
class CameraSpec:
    code: str
    name: str
    lng: float
    lat: float
    grid_code: str | None
    kind: str
    status: str


@dataclass
class City:
    seed: int
    scale: int
    outline: MultiPolygon
    townships: list[TownshipShape]
    workers: list[WorkerSpec]
    cameras: list[CameraSpec]

    def grids(self) -> list[GridShape]:
        return [grid for township in self.townships for community in township.communities for grid in community.grids]

    def communities(self) -> list[CommunityShape]:
        return [community for township in self.townships for community in township.communities]


KIND_BY_LABEL = {"街道": TownshipKind.SUBDISTRICT, "镇": TownshipKind.TOWN, "乡": TownshipKind.TOWNSHIP}


@cache
def township_rows() -> tuple[TownshipRow, ...]:
    """The 15 townships of 2013-2015 with their proposed grid and worker counts."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return tuple(
            TownshipRow(
                name=row["name"],
                kind=KIND_BY_LABEL[row["kind"]],
                lat=float(row["lat"]),
                lng=float(row["lon"]),
                grids=int(row["grids"]),
                workers=int(row["workers"]),
                population=int(row["population"]) if row["population"] else None,
            )
            for row in csv.DictReader(handle)
        )


# --- coordinates ------------------------------------------------------------------


def to_km(lng: float, lat: float) -> tuple[float, float]:
    return (lng - LNG0) * KM_PER_DEG_LNG, (lat - LAT0) * KM_PER_DEG_LAT


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


def _clean_coverage(city: City, grid_cells_km: list[BaseGeometry]) -> None:
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


# --- shapes -------------------------------------------------------------------------


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


def _sample_points(polygon: BaseGeometry, count: int, rng: np.random.Generator, urban: list[tuple[float, float]]):
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


def _kmeans(samples: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 8):
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


def _split(polygon: BaseGeometry, samples: np.ndarray, k: int, rng: np.random.Generator):
    """Tile ``polygon`` into ``k`` cells; returns (cells, labels of ``samples``)."""
    if k == 1:
        return [polygon], np.zeros(len(samples), dtype=int)
    centres, _labels = _kmeans(samples, k, rng)
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


# --- names ---------------------------------------------------------------------------

SURNAMES = (
    "龙石吴杨张向彭田麻施滕梁刘李王陈黄周唐符欧宋邓胡谭舒覃瞿姚贾罗谢曾秦鲁丁廖熊肖蒋赵袁侯雷"
    "龙石吴杨张向彭田麻龙石吴杨张向彭田"
)
GIVEN = "少富秀春桂兰红明华建国平军文清玉英金海林云志德永成光祥生芳丽梅珍凤翠先昌松柏贵保顺发兴才"
PLACE_FIRST = "大小新老上下中东西南北高长黄白青红龙马牛鸡岩石竹桃杨枫茶溪河塘坪坡湾冲寨岭坳"
PLACE_SECOND = "田坪溪冲寨坡湾岩塘桥坝垅坳岭洞界山湖园场林"
KIND_SHORT = {
    CameraKind.ROAD: "道路",
    CameraKind.SECURITY: "治安",
    CameraKind.RIVER: "河道",
    CameraKind.PUBLIC_PLACE: "公共场所",
    CameraKind.FOREST: "森林防火",
}  # noqa: E501
PHONE_PREFIXES = (
    "134 135 136 137 138 139 150 151 152 157 158 159 182 183 184 187 188 147 178 "
    "130 131 132 155 156 185 186 176 133 153 180 181 189 177 199"
).split()


def _community_names(rng: random.Random, count: int, kinds: list[str], taken: set[str], fixed: dict[int, str]):
    names = []
    for index in range(count):
        if index in fixed:
            names.append(fixed[index])
            taken.add(fixed[index])
            continue
        suffix = "社区" if kinds[index] == CommunityKind.COMMUNITY else "村"
        while True:
            name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND) + suffix
            if name not in taken:
                taken.add(name)
                names.append(name)
                break
    return names


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in taken:
            taken.add(phone)
            return phone


def _split_counts(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _community_count(row: TownshipRow, grids: int, scale: int) -> int:
    per = 8 if row.kind == TownshipKind.SUBDISTRICT else 3
    return max(1, min(grids, math.ceil(row.grids / per) * math.ceil(math.sqrt(scale))))


def _community_kinds(row: TownshipRow, count: int) -> list[str]:
    if row.kind == TownshipKind.SUBDISTRICT:
        urban = math.ceil(count * 2 / 3)
    elif row.kind == TownshipKind.TOWN:
        urban = 1
    else:
        urban = 0
    return [CommunityKind.COMMUNITY if index < urban else CommunityKind.VILLAGE for index in range(count)]


# --- the city -------------------------------------------------------------------------


def generate_city(seed: int = DEFAULT_SEED, scale: int = 1, *, people: bool = True) -> City:
    """The whole demo city (see the module docstring); deterministic for a seed.

    ``people=False`` leaves out the grid workers and cameras (for map-only benchmarks).
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not secrets
    nprng = np.random.default_rng(seed)
    rows = township_rows()
    outline_km = make_outline(rng)
    shapely.prepare(outline_km)

    centres_km = [to_km(row.lng, row.lat) for row in rows]
    envelope = outline_km.envelope.buffer(20)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.MultiPoint(centres_km), extend_to=envelope, ordered=True)
    )
    township_cells = shapely.intersection(cells, outline_km)
    urban_centres = [to_km(row.lng, row.lat) for row in rows if row.name in URBAN_CORE]

    kind_counters: dict[str, int] = {}
    townships: list[TownshipShape] = []
    grid_cells_km: list[tuple[str, BaseGeometry]] = []
    for row, cell in zip(rows, township_cells, strict=True):
        index = kind_counters.get(row.kind, 0)
        kind_counters[row.kind] = index + 1
        code = codes.township_code(row.kind, index)
        grid_total = row.grids * scale
        n_communities = _community_count(row, grid_total, scale)
        kinds = _community_kinds(row, n_communities)
        grid_counts = _split_counts(grid_total, n_communities)
        fixed: dict[int, str] = {}
        if row.name in NAMED_COMMUNITIES:
            name, kind = NAMED_COMMUNITIES[row.name]
            slot = kinds.index(kind)
            fixed[slot] = name
        names = _community_names(rng, n_communities, kinds, set(), fixed)

        samples = _sample_points(cell, max(grid_total * 40, 400), nprng, urban_centres + [to_km(row.lng, row.lat)])
        community_cells, labels = _split(cell, samples, n_communities, nprng)
        township = TownshipShape(
            code=code,
            name=row.name,
            kind=row.kind,
            seat=(row.lng, row.lat),
            population=row.population,
            boundary=EMPTY,
        )
        per_grid_population = (row.population or row.grids * 430) / grid_total
        kind_index = {CommunityKind.COMMUNITY: 0, CommunityKind.VILLAGE: 0}
        for c_index, (community_cell, n_grids) in enumerate(zip(community_cells, grid_counts, strict=True)):
            c_kind = kinds[c_index]
            c_code = codes.community_code(code, c_kind, kind_index[c_kind])
            kind_index[c_kind] += 1
            community = CommunityShape(code=c_code, name=names[c_index], kind=c_kind, boundary=EMPTY)
            own = samples[labels == c_index]
            if len(own) < n_grids * 5:
                own = _sample_points(community_cell, n_grids * 20, nprng, [])
            grid_cells, _grid_labels = _split(community_cell, own, n_grids, nprng)
            for g_index, grid_cell in enumerate(grid_cells, start=1):
                g_code = codes.grid_code(c_code, g_index)
                population = max(30, round(per_grid_population * nprng.lognormal(0, 0.25)))
                households = round(population / rng.uniform(2.8, 3.4))
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
                grid_cells_km.append((g_code, grid_cell))
            township.communities.append(community)
        townships.append(township)

    city = City(seed=seed, scale=scale, outline=EMPTY, townships=townships, workers=[], cameras=[])
    _clean_coverage(city, [cell for _code, cell in grid_cells_km])
    if not people:
        return city
    city.workers = _make_workers(city, rows, rng, scale)
    city.cameras = _make_cameras(city, outline_km, urban_centres, rows, grid_cells_km, rng, nprng, scale)
    return city


def _make_workers(city: City, rows: tuple[TownshipRow, ...], rng: random.Random, scale: int) -> list[WorkerSpec]:
    workers: list[WorkerSpec] = []
    phones: set[str] = set()
    number = 0
    named_by_grid = {}
    for township in city.townships:
        for community in township.communities:
            for g_index, grid in enumerate(community.grids, start=1):
                if (community.name, g_index) in NAMED_WORKERS:
                    named_by_grid[grid.code] = NAMED_WORKERS[(community.name, g_index)][0]
    width = max(4, len(str(sum(row.workers for row in rows) * scale)))
    for township, row in zip(city.townships, rows, strict=True):
        grids = [grid for community in township.communities for grid in community.grids]
        per_grid = _split_counts(row.workers * scale, len(grids))
        urban = township.name in URBAN_CORE
        for grid, count in zip(grids, per_grid, strict=True):
            for slot in range(count):
                number += 1
                is_lead = slot == 0
                name = named_by_grid.get(grid.code) if is_lead and grid.code in named_by_grid else _person_name(rng)
                full_time = rng.random() < (0.8 if urban else 0.3)
                workers.append(
                    WorkerSpec(
                        username=f"worker{number:0{width}d}",
                        name=name,
                        phone=_phone(rng, phones),
                        grid_code=grid.code,
                        is_lead=is_lead,
                        is_public=is_lead or rng.random() < 0.3,
                        employment=Employment.FULL_TIME if full_time else Employment.PART_TIME,
                    )
                )
    return workers


def _point_on_line(line: LineString, rng: random.Random, nprng: np.random.Generator, jitter: float) -> Point:
    point = line.interpolate(rng.uniform(0, line.length))
    return Point(point.x + nprng.normal(0, jitter), point.y + nprng.normal(0, jitter))


def _make_cameras(
    city: City,
    outline_km: BaseGeometry,
    urban_centres: list[tuple[float, float]],
    rows: tuple[TownshipRow, ...],
    grid_cells_km: list[tuple[str, BaseGeometry]],
    rng: random.Random,
    nprng: np.random.Generator,
    scale: int,
) -> list[CameraSpec]:
    total = 1962 * scale
    roads = [LineString([to_km(*c) for c in coords]) for coords in ROADS.values()]
    rivers = [LineString([to_km(*c) for c in coords]) for coords in RIVERS.values()]
    seats = [to_km(row.lng, row.lat) for row in rows]
    points: list[tuple[Point, str]] = []
    while len(points) < total:
        draw = rng.random()
        if draw < 0.45:
            cx, cy = rng.choice(urban_centres)
            point = Point(cx + nprng.normal(0, 1.6), cy + nprng.normal(0, 1.6))
            kind = CameraKind.SECURITY if rng.random() < 0.6 else CameraKind.PUBLIC_PLACE
        elif draw < 0.65:
            point, kind = _point_on_line(rng.choice(roads), rng, nprng, 0.08), CameraKind.ROAD
        elif draw < 0.75:
            point, kind = _point_on_line(rng.choice(rivers), rng, nprng, 0.08), CameraKind.RIVER
        elif draw < 0.92:
            cx, cy = rng.choice(seats)
            point = Point(cx + nprng.normal(0, 0.7), cy + nprng.normal(0, 0.7))
            kind = CameraKind.SECURITY if rng.random() < 0.7 else CameraKind.PUBLIC_PLACE
        else:
            minx, miny, maxx, maxy = outline_km.bounds
            point, kind = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)), CameraKind.FOREST
        if outline_km.contains(point):
            points.append((point, kind))
    tree = shapely.STRtree([cell for _code, cell in grid_cells_km])
    grid_index = tree.query(shapely.points([(p.x, p.y) for p, _kind in points]), predicate="intersects")
    found: dict[int, int] = {}
    for point_position, cell_position in zip(grid_index[0], grid_index[1], strict=True):
        found.setdefault(int(point_position), int(cell_position))
    names = {grid.code: grid.name for grid in city.grids()}
    cameras = []
    width = 7
    for number, (point, kind) in enumerate(points, start=1):
        grid_code = grid_cells_km[found[number - 1]][0] if (number - 1) in found else None
        lng, lat = point.x / KM_PER_DEG_LNG + LNG0, point.y / KM_PER_DEG_LAT + LAT0
        place = names[grid_code].split("第")[0] if grid_code else "吉首市"
        status_draw = rng.random()
        status = (
            CameraStatus.ONLINE
            if status_draw < 0.92
            else CameraStatus.OFFLINE
            if status_draw < 0.98
            else CameraStatus.FAULT
        )
        cameras.append(
            CameraSpec(
                code=f"{codes.CITY_CODE}00" + "00" + "132" + f"{number:0{width}d}",
                name=f"{place}{KIND_SHORT[kind]}{number}号",
                lng=round(lng, 7),
                lat=round(lat, 7),
                grid_code=grid_code,
                kind=kind,
                status=status,
            )
        )
    return cameras
