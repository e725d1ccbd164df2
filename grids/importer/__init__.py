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

The modules, in the order of an import: ``reading`` (the file and its layer),
``features`` (one feature → one grid), ``checks`` (across the grids), ``writing``
(the new generation, and the admin upload); ``report`` holds what is found.
"""

from grids.importer.checks import DEFAULT_TOLERANCE_M2, OUTSIDE_SHARE, check_parents, check_topology, local_m2
from grids.importer.features import parse_feature, polygons_only
from grids.importer.reading import open_layer, read_grids
from grids.importer.report import ISSUE_KINDS, FieldMap, ImportError_, ImportReport, Issue, ParsedGrid
from grids.importer.writing import import_grids, import_uploaded_file

__all__ = [
    "DEFAULT_TOLERANCE_M2",
    "ISSUE_KINDS",
    "OUTSIDE_SHARE",
    "FieldMap",
    "ImportError_",
    "ImportReport",
    "Issue",
    "ParsedGrid",
    "check_parents",
    "check_topology",
    "import_grids",
    "import_uploaded_file",
    "local_m2",
    "open_layer",
    "parse_feature",
    "polygons_only",
    "read_grids",
]
