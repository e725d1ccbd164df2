"""The map: generations of grid maps, townships, communities and grids (areas), grid workers, cameras."""

from grids.models.areas import STORAGE_SRID, Community, Generation, GenerationQuerySet, Grid, GridQuerySet, Township
from grids.models.cameras import Camera
from grids.models.people import GridWorker

__all__ = [
    "Camera",
    "Community",
    "Generation",
    "GenerationQuerySet",
    "Grid",
    "GridQuerySet",
    "GridWorker",
    "STORAGE_SRID",
    "Township",
]
