"""Checks across the parsed grids: their township and community, overlaps and gaps.

Areas are in m² on a local equal-area approximation: defects are reported with their
size, and those below the tolerance are rounding noise, not defects.
"""

from __future__ import annotations

import math

import shapely
from django.utils.translation import gettext as _

from grids.importer.report import ImportReport, ParsedGrid
from grids.models import Community, Township

# Areas below this (m²) are rounding noise, not defects.
DEFAULT_TOLERANCE_M2 = 1.0
# A grid may stick out of its township by this share of its area before it is reported.
OUTSIDE_SHARE = 0.01


def local_m2(geometry: shapely.Geometry) -> float:
    """Area of a lng/lat geometry in m² (equal-area enough at a city's scale)."""
    if geometry.is_empty:
        return 0.0
    lat = geometry.centroid.y
    metres_per_degree = 111_320.0
    return geometry.area * metres_per_degree * metres_per_degree * math.cos(math.radians(lat))


def check_parents(report: ImportReport) -> None:
    """Drop grids of unknown townships; note new communities and grids sticking out of their township."""
    townships = {t.code: t for t in Township.objects.filter(code__in={g.township_code for g in report.grids})}
    known_communities = set(
        Community.objects.filter(code__in={g.community_code for g in report.grids}).values_list("code", flat=True)
    )
    kept: list[ParsedGrid] = []
    new_communities: set[str] = set()
    for grid in report.grids:
        township = townships.get(grid.township_code)
        if township is None:
            report.add(
                "rejected",
                _("Grid %(code)s: no township %(township)s.") % {"code": grid.code, "township": grid.township_code},
                [grid.code],
            )
            continue
        if grid.community_code not in known_communities and grid.community_code not in new_communities:
            new_communities.add(grid.community_code)
            report.add(
                "new_community",
                _("Community %(community)s will be created in %(township)s.")
                % {"community": grid.community_code, "township": township.name},
                [grid.community_code],
            )
        kept.append(grid)
        township_shape = shapely.from_wkb(bytes(township.boundary.wkb))
        grid_shape = shapely.from_wkb(bytes(grid.geometry.wkb))
        outside = local_m2(shapely.difference(grid_shape, township_shape))
        if outside > max(DEFAULT_TOLERANCE_M2, OUTSIDE_SHARE * local_m2(grid_shape)):
            report.add(
                "outside_township",
                _("Grid %(code)s lies partly outside %(township)s.") % {"code": grid.code, "township": township.name},
                [grid.code],
                outside,
            )
    report.grids = kept


def check_topology(report: ImportReport, tolerance_m2: float = DEFAULT_TOLERANCE_M2) -> None:
    """Report overlaps between grids and gaps (holes of their union) above the tolerance."""
    if not report.grids:
        return
    shapes = [shapely.from_wkb(bytes(grid.geometry.wkb)) for grid in report.grids]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        overlap = local_m2(shapely.intersection(shapes[i], shapes[j]))
        if overlap > tolerance_m2:
            a, b = report.grids[i].code, report.grids[j].code
            report.add("overlap", _("Grids %(a)s and %(b)s overlap.") % {"a": a, "b": b}, [a, b], overlap)
    union = shapely.union_all(shapes)
    for polygon in shapely.get_parts(union):
        for ring in polygon.interiors:
            hole = shapely.Polygon(ring)
            area = local_m2(hole)
            if area > tolerance_m2:
                point = hole.representative_point()
                report.add(
                    "gap",
                    _("A gap between grids near %(lat).5f, %(lng).5f.") % {"lat": point.y, "lng": point.x},
                    (),
                    area,
                )
