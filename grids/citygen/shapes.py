"""What the generator returns: the city's shapes (in degrees) and the people and cameras in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import MultiPolygon


@dataclass
class GridShape:
    code: str
    name: str
    boundary: MultiPolygon  # lng/lat
    population: int
    households: int


@dataclass
class CommunityShape:
    code: str
    name: str
    kind: str
    boundary: MultiPolygon
    grids: list[GridShape] = field(default_factory=list)


@dataclass
class TownshipShape:
    code: str
    name: str
    kind: str
    seat: tuple[float, float]  # lng, lat
    population: int | None
    boundary: MultiPolygon
    communities: list[CommunityShape] = field(default_factory=list)


@dataclass
class WorkerSpec:
    username: str
    name: str
    phone: str
    grid_code: str
    is_lead: bool
    is_public: bool
    employment: str


@dataclass
class CameraSpec:
    code: str
    name: str
    lng: float
    lat: float
    grid_code: str | None
    kind: str
    status: str


@dataclass
class City:
    seed: int
    scale: int
    outline: MultiPolygon
    townships: list[TownshipShape]
    workers: list[WorkerSpec]
    cameras: list[CameraSpec]

    def grids(self) -> list[GridShape]:
        return [grid for township in self.townships for community in township.communities for grid in community.grids]

    def communities(self) -> list[CommunityShape]:
        return [community for township in self.townships for community in township.communities]
