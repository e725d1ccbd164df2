"""The player: every step of every planned case, in time order, through the domain functions.

``HistoryRunner`` keeps one queue of (instant, step) for all cases; each step is a method
``_<step>`` of the mixins ``IntakeSteps`` (report to dispatch, returns) and
``HandlingSteps`` (work, resolution, review), which schedule the case's next steps.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import datetime

from shapely.geometry import Point as ShapelyPoint

from gridcenter.realtime import muted
from incidents.choices import CaseSource, TimeLimitUnit
from incidents.demo.cast import Cast, Place
from incidents.demo.content import DETAILS
from incidents.demo.handling import HandlingSteps
from incidents.demo.intake import IntakeSteps
from incidents.demo.plan import DEMO_SEED, CasePlan
from incidents.models import SubCategory


@dataclass
class CaseState:
    plan: CasePlan
    rng: random.Random
    sub: SubCategory | None = None
    place: Place | None = None
    lat: float = 0.0
    lng: float = 0.0
    case_id: int | None = None
    lead_id: int | None = None
    dispatched_at: datetime | None = None
    deadline: datetime | None = None
    unit: str = ""
    detoured: bool = False  # the return has happened
    reworked: bool = False  # the reopening has happened
    last: datetime | None = None
    extra: dict = field(default_factory=dict)


class HistoryRunner(IntakeSteps, HandlingSteps):
    """Plays a list of ``CasePlan`` in time order up to ``now``."""

    def __init__(
        self,
        plans: list[CasePlan],
        *,
        cast: Cast,
        places: list[Place],
        subs: list[SubCategory],
        now: datetime,
        seed: int = DEMO_SEED,
    ) -> None:
        self.plans = plans
        self.cast = cast
        self.now = now
        self.seed = seed
        self.states = {plan.index: CaseState(plan, plan.rng()) for plan in plans}
        self.queue: list[tuple[datetime, int, int, str]] = []
        self.sequence = 0
        self.steps = 0
        self.backlog = 0
        self.places = places
        self.worker_places = [place for place in places if place.workers]
        weights = [1 + place.population**0.7 for place in places]
        self.place_weights = weights
        self.worker_weights = [w for w, place in zip(weights, places, strict=True) if place.workers]
        self.subs = subs
        ranks = random.Random(seed).sample(range(len(subs)), len(subs))  # noqa: S311 - a reproducible demo
        self.sub_weights = [1 / (1 + rank) ** 0.6 for rank in ranks]
        self.long_subs = [
            sub for sub in subs if sub.limit_unit == TimeLimitUnit.WORKING_DAYS and sub.limit_amount >= 3
        ] or subs
        self.other_departments = sorted(pk for pk in cast.departments if cast.officer(pk))

    # --- the clock --------------------------------------------------------------------------------
    def at(self, when: datetime, state: CaseState, step: str) -> None:
        if when > self.now:
            return  # has not happened yet
        self.sequence += 1
        heapq.heappush(self.queue, (when, self.sequence, state.plan.index, step))

    def run(self) -> int:
        for plan in self.plans:
            self.at(plan.reported_at, self.states[plan.index], "report")
        with muted():
            while self.queue:
                when, _seq, index, step = heapq.heappop(self.queue)
                state = self.states[index]
                state.last = when
                getattr(self, f"_{step}")(state, when)
                self.steps += 1
        return self.steps

    # --- choices ------------------------------------------------------------------------------------
    def _choose(self, state: CaseState) -> None:
        plan, rng = state.plan, state.rng
        if plan.duplicate_of is not None:
            original = self.states[plan.duplicate_of]
            state.sub, state.place = original.sub, original.place
            state.lat = original.lat + rng.uniform(-0.0001, 0.0001)
            state.lng = original.lng + rng.uniform(-0.0001, 0.0001)
            return
        if plan.long_limit:
            state.sub = rng.choice(self.long_subs)
        elif plan.index % 3 == 0 and plan.index // 3 < len(self.subs):
            state.sub = self.subs[plan.index // 3]  # every sub-item appears early in the record
        else:
            state.sub = rng.choices(self.subs, weights=self.sub_weights)[0]
        if plan.source == CaseSource.GRID_WORKER and self.worker_places:
            state.place = rng.choices(self.worker_places, weights=self.worker_weights)[0]
        else:
            state.place = rng.choices(self.places, weights=self.place_weights)[0]
        state.lat, state.lng = self._point_in(state.place, rng)

    @staticmethod
    def _point_in(place: Place, rng: random.Random) -> tuple[float, float]:
        west, south, east, north = place.polygon.bounds
        for _ in range(60):
            point = ShapelyPoint(rng.uniform(west, east), rng.uniform(south, north))
            if place.polygon.contains(point):
                return point.y, point.x
        point = place.polygon.representative_point()
        return point.y, point.x

    def _description(self, state: CaseState, address: str) -> str:
        assert state.sub is not None  # chosen (``_choose``) before the report is written
        rng, name, source = state.rng, state.sub.name, state.plan.source
        detail = rng.choice(DETAILS)
        return {
            CaseSource.GRID_WORKER: f"巡查发现{address}{name}，{detail}。",
            CaseSource.HOTLINE: f"市民来电反映：{address}{name}，{detail}。",
            CaseSource.RESIDENT: f"居民反映{address}{name}，希望尽快处理。",
            CaseSource.CAMERA: f"视频巡查发现{address}{name}。",
            CaseSource.LEADER: f"领导交办：{address}{name}问题，请尽快处置并反馈。",
            CaseSource.DEPARTMENT: f"部门巡查发现{address}{name}，{detail}。",
        }[source]
