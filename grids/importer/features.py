"""One feature of the file → one ``ParsedGrid`` in WGS-84, or an issue saying why not."""

from __future__ import annotations

import shapely
from django.contrib.gis.gdal import CoordTransform, GDALException, OGRGeometry
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext as _

from grids import codes
from grids.importer.report import FieldMap, ImportReport, ParsedGrid
from grids.models import STORAGE_SRID


def _attribute(feature, name: str, fields: list[str]) -> str:
    if not name or name not in fields:
        return ""
    value = feature.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value: str) -> int:
    try:
        return max(0, int(float(value)))
    except ValueError:
        return 0


def polygons_only(geometry: GEOSGeometry) -> MultiPolygon | None:
    """The polygonal part of a geometry as a MultiPolygon, or None if it has none."""
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    if isinstance(geometry, MultiPolygon):
        return geometry
    polygons: list[GEOSGeometry] = []  # Polygons (the stubs type a MultiPolygon's parts as GEOSGeometry)
    for part in getattr(geometry, "__iter__", lambda: iter(()))():
        found = polygons_only(part) if hasattr(part, "geom_type") else None
        if found is not None:
            polygons.extend(found)
    if not polygons:
        return None
    return MultiPolygon(*polygons, srid=geometry.srid)


def parse_feature(
    feature,
    number: int,
    fields: FieldMap,
    field_names: list[str],
    transform: CoordTransform,
    repair: bool,
    report: ImportReport,
) -> ParsedGrid | None:
    """The feature as a grid, or ``None`` with the reason added to ``report``."""
    code = _grid_code(feature, number, fields, field_names, report)
    if code is None:
        return None
    polygons = _grid_polygons(feature, code, transform, repair, report)
    if polygons is None:
        return None
    community_code = _attribute(feature, fields.community, field_names) or code[: codes.COMMUNITY_CODE_LENGTH]
    township_code = _attribute(feature, fields.township, field_names) or community_code[: codes.TOWNSHIP_CODE_LENGTH]
    return ParsedGrid(
        code=code,
        name=_attribute(feature, fields.name, field_names) or code,
        community_code=community_code,
        community_name=_attribute(feature, fields.community_name, field_names),
        township_code=township_code,
        population=_int(_attribute(feature, fields.population, field_names) or "0"),
        households=_int(_attribute(feature, fields.households, field_names) or "0"),
        geometry=polygons,
        feature=number,
    )


def _grid_code(feature, number: int, fields: FieldMap, field_names: list[str], report: ImportReport) -> str | None:
    code = _attribute(feature, fields.code, field_names)
    if not code:
        report.add("rejected", _("Feature %(n)d has no code.") % {"n": number})
        return None
    if not codes.is_grid_code(code):
        report.add(
            "rejected", _("Feature %(n)d: %(code)s is not a 15-digit grid code.") % {"n": number, "code": code}, [code]
        )
        return None
    return code


def _grid_polygons(
    feature, code: str, transform: CoordTransform, repair: bool, report: ImportReport
) -> MultiPolygon | None:
    """The feature's geometry in WGS-84, 2D, valid (repaired if allowed) and polygonal."""
    try:
        ogr: OGRGeometry = feature.geom
        ogr.transform(transform)
        geometry = GEOSGeometry(ogr.wkb, srid=STORAGE_SRID)
    except (GDALException, ValueError) as error:
        report.add(
            "rejected", _("Grid %(code)s: unreadable geometry (%(error)s).") % {"code": code, "error": error}, [code]
        )
        return None
    if geometry.hasz:
        geometry = GEOSGeometry(
            shapely.to_wkb(shapely.force_2d(shapely.from_wkb(bytes(geometry.wkb)))), srid=STORAGE_SRID
        )
    if geometry.empty:
        report.add("rejected", _("Grid %(code)s has an empty geometry.") % {"code": code}, [code])
        return None
    valid = _valid(geometry, code, repair, report)
    if valid is None:
        return None
    polygons = polygons_only(valid)
    if polygons is None or polygons.empty:
        report.add(
            "rejected",
            _("Grid %(code)s is not a polygon (%(type)s).") % {"code": code, "type": valid.geom_type},
            [code],
        )
        return None
    polygons.srid = STORAGE_SRID
    return polygons


def _valid(geometry: GEOSGeometry, code: str, repair: bool, report: ImportReport) -> GEOSGeometry | None:
    """A valid geometry: as it is, repaired with MakeValid (reported), or ``None`` (rejected)."""
    if geometry.valid:
        return geometry
    reason = geometry.valid_reason
    if not repair:
        report.add(
            "rejected", _("Grid %(code)s: invalid polygon (%(reason)s).") % {"code": code, "reason": reason}, [code]
        )
        return None
    repaired = geometry.make_valid()
    report.add(
        "repaired",
        _("Grid %(code)s: invalid polygon (%(reason)s) repaired with MakeValid.") % {"code": code, "reason": reason},
        [code],
    )
    return repaired
