"""The two entry points' core: read, check and, with ``commit``, write a new generation."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction

from grids.choices import CommunityKind
from grids.importer.features import polygons_only
from grids.importer.reading import read_grids
from grids.importer.report import FieldMap, ImportReport, ParsedGrid
from grids.models import STORAGE_SRID, Community, Generation, Grid, Township
from grids.services import activate_generation


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
    communities = _communities(report.grids)
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


def _communities(grids: list[ParsedGrid]) -> dict[str, Community]:
    """The grids' communities by code; those that do not exist yet are created here,
    bounded by the union of their grids."""
    townships = {t.code: t for t in Township.objects.filter(code__in={g.township_code for g in grids})}
    communities = {c.code: c for c in Community.objects.filter(code__in={g.community_code for g in grids})}
    by_community: dict[str, list[ParsedGrid]] = {}
    for grid in grids:
        by_community.setdefault(grid.community_code, []).append(grid)
    for code, members in by_community.items():
        if code in communities:
            continue
        union = shapely.union_all([shapely.from_wkb(bytes(g.geometry.wkb)) for g in members])
        boundary = polygons_only(GEOSGeometry(memoryview(shapely.to_wkb(union)), srid=STORAGE_SRID))
        assert boundary is not None  # a union of grids (polygons) is polygonal
        name = next((g.community_name for g in members if g.community_name), code)
        kind = CommunityKind.COMMUNITY if int(code[-3:]) < 200 else CommunityKind.VILLAGE
        communities[code] = Community.objects.create(
            township=townships[members[0].township_code], code=code, name=name, kind=kind, boundary=boundary
        )
    return communities


def import_uploaded_file(upload, **options) -> ImportReport:
    """The admin form's entry: save the upload to a temporary file and import it."""
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / f"upload{suffix}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return import_grids(target, description=options.pop("description", "") or upload.name, **options)
