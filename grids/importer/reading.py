"""Reading a vector file with GDAL: the layer, its reference system, every feature once."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, SpatialReference
from django.utils.translation import gettext as _

from grids.importer.checks import check_parents, check_topology
from grids.importer.features import parse_feature
from grids.importer.report import FieldMap, ImportError_, ImportReport
from grids.models import STORAGE_SRID


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
            parsed = parse_feature(feature, number, fields, field_names, transform, repair, report)
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
    check_parents(report)
    check_topology(report)
    return report
