"""What an import reads and reports: the field map, the parsed grids and the issues found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.gis.geos import MultiPolygon
from django.utils.translation import gettext as _

from grids.models import Generation


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
        if self.committed:
            assert self.generation is not None  # a committed import wrote one (``import_grids``)
            state = _("written as generation #%(id)s") % {"id": self.generation.pk}
        else:
            state = _("dry run")
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
