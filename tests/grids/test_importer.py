"""The grid map importer: GeoJSON, Shapefile (projected CGCS2000), KML; defects; dry run."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from grids.importer import FieldMap, import_grids
from grids.models import Community, Generation, Grid
from grids.services import locate

pytestmark = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="needs gdal-bin's ogr2ogr")

A, B = "433101001001001", "433101001001002"
C, D = "433101001002001", "433101001002002"


def box(west, south, east, north) -> list:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def feature(code: str | None, coordinates: list, kind: str = "Polygon", **properties) -> dict:
    props = {"name": f"网格{code}", **properties}
    if code is not None:
        props["code"] = code
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coordinates}}


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    return path


def redrawn_map() -> list[dict]:
    """The small city redrawn: the south row split into three columns, the north row kept."""
    return [
        feature(A, box(109.70, 28.25, 109.705, 28.26), population=300, households=100),
        feature(B, box(109.705, 28.25, 109.715, 28.26)),
        feature("433101001001003", box(109.715, 28.25, 109.72, 28.26)),
        feature(C, box(109.70, 28.26, 109.71, 28.27)),
        feature(D, box(109.71, 28.26, 109.72, 28.27)),
    ]


def counts() -> tuple[int, int, int]:
    return Grid.objects.count(), Generation.objects.count(), Community.objects.count()


def ogr2ogr(*args: str) -> None:
    subprocess.run(["ogr2ogr", *args], check=True, capture_output=True)


def test_a_clean_file_in_a_dry_run_writes_nothing(small_city, tmp_path):
    path = write_geojson(tmp_path / "map.geojson", redrawn_map())
    before = counts()
    report = import_grids(path)
    assert report.issues == []
    assert len(report.grids) == 5 and not report.committed
    assert counts() == before
    assert locate(28.255, 109.717) == small_city.grids["B"]


def test_commit_adds_a_generation_and_keeps_the_old_grids(small_city, tmp_path):
    path = write_geojson(tmp_path / "map.geojson", redrawn_map())
    old_ids = {grid.pk for grid in small_city.grids.values()}
    report = import_grids(path, commit=True)
    assert report.committed and report.generation.is_active
    assert Generation.objects.active() == report.generation
    new = locate(28.255, 109.717)
    assert new.code == "433101001001003" and new.generation == report.generation
    assert locate(28.255, 109.702).population == 300
    # Old grids stay, with their generation: a case filed in one keeps it.
    assert set(Grid.objects.filter(pk__in=old_ids).values_list("generation", flat=True)) == {small_city.generation.pk}
    assert locate(28.255, 109.717, generation=small_city.generation) == small_city.grids["B"]


def test_every_defect_is_reported(small_city, tmp_path):
    bowtie = [[[109.70, 28.25], [109.705, 28.255], [109.70, 28.255], [109.705, 28.25], [109.70, 28.25]]]
    with_hole = [
        [[109.71, 28.26], [109.72, 28.26], [109.72, 28.27], [109.71, 28.27], [109.71, 28.26]],
        [[109.713, 28.263], [109.713, 28.267], [109.717, 28.267], [109.717, 28.263], [109.713, 28.263]],
    ]
    features = [
        feature(A, bowtie),  # invalid: self-intersecting
        feature(B, box(109.705, 28.25, 109.715, 28.26)),
        feature(C, box(109.70, 28.255, 109.71, 28.27)),  # overlaps B? no: overlaps A's row
        feature(D, with_hole),  # a gap inside the map
        feature("433101001001004", box(109.712, 28.25, 109.73, 28.26)),  # overlaps B, sticks out of the township
        feature(B, box(109.0, 28.0, 109.1, 28.1)),  # duplicate code
        feature(None, box(109.70, 28.25, 109.71, 28.26)),  # no code
        feature("abc", box(109.70, 28.25, 109.71, 28.26)),  # not a grid code
        feature("433101999001001", box(109.70, 28.25, 109.71, 28.26)),  # no such township
        feature("433101001001005", [109.705, 28.255], kind="Point"),  # not a polygon
        feature("433101001003001", box(109.70, 28.26, 109.705, 28.265)),  # a new community
    ]
    path = write_geojson(tmp_path / "bad.geojson", features)
    before = counts()
    report = import_grids(path)
    kinds = {
        kind: [issue.codes for issue in report.of_kind(kind)]
        for kind in ("repaired", "rejected", "duplicate", "overlap", "gap", "outside_township", "new_community")
    }
    assert kinds["repaired"] == [(A,)]
    assert kinds["duplicate"] == [(B,)]
    assert ("433101999001001",) in kinds["rejected"]
    assert ("abc",) in kinds["rejected"]
    assert ("433101001001005",) in kinds["rejected"]
    assert () in kinds["rejected"]  # the feature with no code
    assert len(kinds["rejected"]) == 4
    assert (B, "433101001001004") in kinds["overlap"]
    assert (B, C) in kinds["overlap"] and (C, "433101001003001") in kinds["overlap"]
    assert kinds["outside_township"] == [("433101001001004",)]
    assert kinds["new_community"] == [("433101001003",)]
    assert len(kinds["gap"]) >= 1
    gap = report.of_kind("gap")[0]
    assert gap.area_m2 == pytest.approx(0.004 * 0.004 * 111_320**2 * 0.8806, rel=0.02)
    assert counts() == before

    strict = import_grids(path, repair=False)
    assert (A,) in [issue.codes for issue in strict.of_kind("rejected")]
    assert not strict.of_kind("repaired")


def test_a_new_community_is_created_from_the_code_on_commit(small_city, tmp_path):
    features = [
        *redrawn_map()[:4],
        feature("433101001003001", box(109.71, 28.26, 109.72, 28.27), community_name="新村"),
    ]
    path = write_geojson(tmp_path / "map.geojson", features)
    import_grids(path, FieldMap(community_name="community_name"), commit=True)
    community = Community.objects.get(code="433101001003")
    assert community.name == "新村" and community.township == small_city.township
    assert community.kind == "community"
    assert community.boundary.area == pytest.approx(0.0001)


def test_a_shapefile_in_a_projected_cgcs2000_crs_is_transformed(small_city, tmp_path):
    source = write_geojson(tmp_path / "map.geojson", redrawn_map())
    shapefile = tmp_path / "map.shp"
    # CGCS2000 / 3-degree Gauss-Kruger CM 111E: metres, as real grid maps come.
    ogr2ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-t_srs", "EPSG:4546", str(shapefile), str(source))
    report = import_grids(shapefile, commit=True)
    assert "CGCS2000" in report.source_srs
    assert report.issues == []
    grid = Grid.objects.get(generation=report.generation, code=B)
    assert grid.boundary.extent == pytest.approx((109.705, 28.25, 109.715, 28.26), abs=1e-7)
    assert grid.boundary.area == pytest.approx(0.0001, rel=1e-5)
    assert grid.name == f"网格{B}"

    archive = tmp_path / "map.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in tmp_path.glob("map.*"):
            if part.suffix in {".shp", ".shx", ".dbf", ".prj", ".cpg"}:
                bundle.write(part, part.name)
    assert len(import_grids(archive).grids) == 5


def test_kml_and_geographic_cgcs2000(small_city, tmp_path):
    source = write_geojson(tmp_path / "map.geojson", redrawn_map())
    kml = tmp_path / "map.kml"
    ogr2ogr("-f", "KML", str(kml), str(source))
    report = import_grids(kml)
    assert report.issues == [] and {g.code for g in report.grids} == {f["properties"]["code"] for f in redrawn_map()}

    cgcs = tmp_path / "cgcs2000.geojson"
    ogr2ogr("-f", "GeoJSON", "-t_srs", "EPSG:4490", str(cgcs), str(source))
    report = import_grids(cgcs)
    assert "2000" in report.source_srs
    b = next(g for g in report.grids if g.code == B)
    # Not swapped into lat/lng order, and CGCS2000 ≈ WGS-84 here.
    assert b.geometry.extent == pytest.approx((109.705, 28.25, 109.715, 28.26), abs=1e-6)


def test_the_management_command_is_a_dry_run_unless_commit(small_city, tmp_path):
    path = write_geojson(tmp_path / "map.geojson", redrawn_map())
    out = io.StringIO()
    call_command("import_grids", str(path), stdout=out, stderr=io.StringIO())
    assert "Dry run" in out.getvalue()
    assert Generation.objects.count() == 1
    call_command(
        "import_grids", str(path), "--commit", "--description", "2024 redraw", stdout=out, stderr=io.StringIO()
    )
    assert Generation.objects.active().description == "2024 redraw"


def test_the_admin_upload_form_uses_the_same_core(small_city, admin_user, client, tmp_path):
    client.force_login(admin_user)
    content = json.dumps({"type": "FeatureCollection", "features": redrawn_map()}).encode()
    url = "/admin/grids/grid/import/"
    assert client.get(url).status_code == 200
    before = counts()
    response = client.post(
        url, {"file": SimpleUploadedFile("map.geojson", content), "code_field": "code", "name_field": "name"}
    )
    assert response.status_code == 200
    assert response.context["report"].grids and not response.context["report"].committed
    assert counts() == before
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("map.geojson", content),
            "code_field": "code",
            "commit": "on",
            "activate": "on",
            "repair": "on",
        },
    )
    assert response.context["report"].committed
    assert Generation.objects.active().description == "map.geojson"
