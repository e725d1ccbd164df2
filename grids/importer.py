"""Import a grid map from a GeoJSON, Shapefile or KML file (through GDAL).

One core, two thin entry points: ``manage.py import_grids`` and the admin's upload
form. Both call :func:`import_grids`, which reads and checks every feature, reports
what was wrong, and writes only with ``commit=True``: a new generation holding the
file's grids, in one transaction, activated unless asked not to. Old generations
(and the cases filed in their grids) are kept.

What is checked, and reported:

- each feature's geometry is transformed from the layer's reference system (or the
  one given: CGCS2000 is EPSG:4490, its 3-degree Gauss-Kruger zones EPSG:4513-4533 and
  EPSG:4534-4554) to WGS-84;
- invalid polygons are repaired with MakeValid (reported as repaired) or, with
  ``repair=False``, rejected; empty and non-polygonal geometries are rejected;
- a missing or duplicate grid code rejects the feature (the first one is kept);
- a community that does not exist is created under its township (from the fields, or
  from the code: the first 12 digits of a grid code are its community's, see
  ``grids.codes``), with the union of its grids as boundary; a township that does not
  exist rejects the feature;
- overlaps between grids, gaps inside the map (holes of their union), and grids lying
  partly outside their township are reported with their areas.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, OGRGeometry, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.db import transaction
from django.utils.translation import gettext as _

from grids import codes
from grids.choices import CommunityKind
from grids.models import STORAGE_SRID, Community, Generation, Grid, Township
from grids.services import activate_generation

# Areas below this (m²) are rounding noise, not defects.
DEFAULT_TOLERANCE_M2 = 1.0
# A grid may stick out of its township by this share of its area before it is reported.
OUTSIDE_SHARE = 0.01


@dataclass(frozen=True)
class FieldMap:
    """Which attribute of the file holds what. Only ``code`` is required."""

    code: str = "code"
    name: str = "name"
    community: str = ""  # community code; default: derived from the grid code
    community_name: str = ""
    township: str = ""  # township code; default: derived from the community code
    population: str = "population"
    households: str = "households"


@dataclass
class Issue:
    kind: str  # one of ISSUE_KINDS
    message: str
    codes: tuple[str, ...] = ()
    area_m2: float | None = None

    def __str__(self) -> str:
        area = f" ({self.area_m2:,.0f} m²)" if self.area_m2 is not None else ""
        return f"[{self.kind}] {self.message}{area}"


ISSUE_KINDS = ("repaired", "rejected", "duplicate", "overlap", "gap", "outside_township", "new_community")


@dataclass
class ParsedGrid:
    code: str
    name: str
    community_code: str
    community_name: str
    township_code: str
    population: int
    households: int
    geometry: MultiPolygon  # WGS-84
    feature: int


@dataclass
class ImportReport:
    source: str
    source_srs: str = ""
    features: int = 0
    grids: list[ParsedGrid] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    committed: bool = False
    generation: Generation | None = None

    def add(self, kind: str, message: str, codes: Iterable[str] = (), area_m2: float | None = None) -> None:
        self.issues.append(Issue(kind, message, tuple(codes), area_m2))

    def of_kind(self, kind: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.kind == kind]

    @property
    def rejected(self) -> int:
        return len(self.of_kind("rejected")) + len(self.of_kind("duplicate"))

    def summary(self) -> str:
        counts = ", ".join(f"{kind}: {len(self.of_kind(kind))}" for kind in ISSUE_KINDS if self.of_kind(kind))
        state = _("written as generation #%(id)s") % {"id": self.generation.pk} if self.committed else _("dry run")
        return _("%(features)d features, %(grids)d grids accepted (%(state)s). %(issues)s") % {
            "features": self.features,
            "grids": len(self.grids),
            "state": state,
            "issues": counts or _("No problems found."),
        }

    def lines(self) -> list[str]:
        return [self.summary(), *(str(issue) for issue in self.issues)]


class ImportError_(Exception):
    """The file cannot be read at all (not a defect of one feature)."""


@contextlib.contextmanager
def open_layer(path: str | Path, layer: int | str = 0) -> Iterator:
    """Open a vector file with GDAL; a .zip holding a Shapefile is read in place."""
    path = str(path)
    if path.lower().endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            shapefiles = [name for name in archive.namelist() if name.lower().endswith(".shp")]
        if not shapefiles:
            raise ImportError_(_("The ZIP archive holds no .shp file."))
        path = f"/vsizip/{path}/{shapefiles[0]}"
    try:
        source = DataSource(path)
    except GDALException as error:
        raise ImportError_(_("GDAL cannot read this file: %(error)s") % {"error": error}) from error
    try:
        yield source[layer]
    except (IndexError, KeyError) as error:
        raise ImportError_(_("No layer %(layer)s in this file.") % {"layer": layer}) from error


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


def _polygons_only(geometry: GEOSGeometry) -> MultiPolygon | None:
    """The polygonal part of a geometry as a MultiPolygon, or None if it has none."""
    if isinstance(geometry, Polygon):
        return MultiPolygon(geometry, srid=geometry.srid)
    if isinstance(geometry, MultiPolygon):
        return geometry
    polygons: list[Polygon] = []
    for part in getattr(geometry, "__iter__", lambda: iter(()))():
        found = _polygons_only(part) if hasattr(part, "geom_type") else None
        if found is not None:
            polygons.extend(found)
    if not polygons:
        return None
    return MultiPolygon(*polygons, srid=geometry.srid)


def _local_m2(geometry: shapely.Geometry) -> float:
    """Area of a lng/lat geometry in m² (equal-area enough at a city's scale)."""
    if geometry.is_empty:
        return 0.0
    lat = geometry.centroid.y
    metres_per_degree = 111_320.0
    return geometry.area * metres_per_degree * metres_per_degree * math.cos(math.radians(lat))


def read_grids(
    path: str | Path,
    fields: FieldMap,
    *,
    source_srid: int | None = None,
    repair: bool = True,
    layer: int | str = 0,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ImportReport:
    """Read and check the file's grids; nothing is written."""
    report = ImportReport(source=str(path))
    target = SpatialReference(STORAGE_SRID)
    with open_layer(path, layer) as source_layer:
        srs = SpatialReference(source_srid) if source_srid else source_layer.srs
        if srs is None:
            raise ImportError_(_("The file has no reference system; give one (e.g. --srid 4490)."))
        report.source_srs = srs.name or str(source_srid or "")
        transform = CoordTransform(srs, target)
        field_names = list(source_layer.fields)
        if fields.code not in field_names:
            raise ImportError_(
                _("No field %(field)s in the file; it has: %(fields)s")
                % {"field": fields.code, "fields": ", ".join(field_names)}
            )
        features = list(source_layer)
        report.features = len(features)
        seen: set[str] = set()
        iterator = progress(features) if progress else features
        for number, feature in enumerate(iterator, start=1):
            parsed = _parse_feature(feature, number, fields, field_names, transform, repair, report)
            if parsed is None:
                continue
            if parsed.code in seen:
                report.add(
                    "duplicate",
                    _("Feature %(n)d: duplicate code %(code)s; the first one is kept.")
                    % {"n": number, "code": parsed.code},
                    [parsed.code],
                )
                continue
            seen.add(parsed.code)
            report.grids.append(parsed)
    _check_parents(report)
    _check_topology(report)
    return report


def _parse_feature(feature, number, fields, field_names, transform, repair, report) -> ParsedGrid | None:
    code = _attribute(feature, fields.code, field_names)
    if not code:
        report.add("rejected", _("Feature %(n)d has no code.") % {"n": number})
        return None
    if not codes.is_grid_code(code):
        report.add(
            "rejected", _("Feature %(n)d: %(code)s is not a 15-digit grid code.") % {"n": number, "code": code}, [code]
        )
        return None
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
    if not geometry.valid:
        reason = geometry.valid_reason
        if not repair:
            report.add(
                "rejected", _("Grid %(code)s: invalid polygon (%(reason)s).") % {"code": code, "reason": reason}, [code]
            )
            return None
        geometry = geometry.make_valid()
        report.add(
            "repaired",
            _("Grid %(code)s: invalid polygon (%(reason)s) repaired with MakeValid.")
            % {"code": code, "reason": reason},
            [code],
        )
    polygons = _polygons_only(geometry)
    if polygons is None or polygons.empty:
        report.add(
            "rejected",
            _("Grid %(code)s is not a polygon (%(type)s).") % {"code": code, "type": geometry.geom_type},
            [code],
        )
        return None
    polygons.srid = STORAGE_SRID
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


def _check_parents(report: ImportReport) -> None:
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
        outside = _local_m2(shapely.difference(grid_shape, township_shape))
        if outside > max(DEFAULT_TOLERANCE_M2, OUTSIDE_SHARE * _local_m2(grid_shape)):
            report.add(
                "outside_township",
                _("Grid %(code)s lies partly outside %(township)s.") % {"code": grid.code, "township": township.name},
                [grid.code],
                outside,
            )
    report.grids = kept


def _check_topology(report: ImportReport, tolerance_m2: float = DEFAULT_TOLERANCE_M2) -> None:
    if not report.grids:
        return
    shapes = [shapely.from_wkb(bytes(grid.geometry.wkb)) for grid in report.grids]
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        overlap = _local_m2(shapely.intersection(shapes[i], shapes[j]))
        if overlap > tolerance_m2:
            a, b = report.grids[i].code, report.grids[j].code
            report.add("overlap", _("Grids %(a)s and %(b)s overlap.") % {"a": a, "b": b}, [a, b], overlap)
    union = shapely.union_all(shapes)
    for polygon in shapely.get_parts(union):
        for ring in polygon.interiors:
            hole = shapely.Polygon(ring)
            area = _local_m2(hole)
            if area > tolerance_m2:
                point = hole.representative_point()
                report.add(
                    "gap",
                    _("A gap between grids near %(lat).5f, %(lng).5f.") % {"lat": point.y, "lng": point.x},
                    (),
                    area,
                )


def import_grids(
    path: str | Path,
    fields: FieldMap | None = None,
    *,
    commit: bool = False,
    activate: bool = True,
    source_srid: int | None = None,
    repair: bool = True,
    layer: int | str = 0,
    description: str = "",
    progress: Callable[[Iterable], Iterable] | None = None,
) -> ImportReport:
    """Read, check and (with ``commit``) write a grid map as a new generation."""
    report = read_grids(
        path, fields or FieldMap(), source_srid=source_srid, repair=repair, layer=layer, progress=progress
    )
    if commit and report.grids:
        with transaction.atomic():
            report.generation = _write(report, description or Path(str(path)).name, activate)
        report.committed = True
    return report


def _write(report: ImportReport, description: str, activate: bool) -> Generation:
    generation = Generation.objects.create(description=description[:200])
    townships = {t.code: t for t in Township.objects.filter(code__in={g.township_code for g in report.grids})}
    communities = {c.code: c for c in Community.objects.filter(code__in={g.community_code for g in report.grids})}
    by_community: dict[str, list[ParsedGrid]] = {}
    for grid in report.grids:
        by_community.setdefault(grid.community_code, []).append(grid)
    for code, grids in by_community.items():
        if code in communities:
            continue
        union = shapely.union_all([shapely.from_wkb(bytes(g.geometry.wkb)) for g in grids])
        boundary = _polygons_only(GEOSGeometry(memoryview(shapely.to_wkb(union)), srid=STORAGE_SRID))
        name = next((g.community_name for g in grids if g.community_name), code)
        kind = CommunityKind.COMMUNITY if int(code[-3:]) < 200 else CommunityKind.VILLAGE
        communities[code] = Community.objects.create(
            township=townships[grids[0].township_code], code=code, name=name, kind=kind, boundary=boundary
        )
    Grid.objects.bulk_create(
        (
            Grid(
                generation=generation,
                community=communities[grid.community_code],
                code=grid.code,
                name=grid.name,
                boundary=grid.geometry,
                population=grid.population,
                households=grid.households,
            )
            for grid in report.grids
        ),
        batch_size=1000,
    )
    if activate:
        activate_generation(generation)
    return generation


def import_uploaded_file(upload, **options) -> ImportReport:
    """The admin form's entry: save the upload to a temporary file and import it."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / f"upload{suffix}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return import_grids(target, description=options.pop("description", "") or upload.name, **options)
