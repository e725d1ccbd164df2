"""A living city for the wall screen: grid workers report, the centre dispatches and
reviews, departments handle, leaders urge, all through the real domain functions.

Used by ``manage.py simulate``. Each step picks an action with fixed odds and a case in
the status that action needs (newest first, by the status index); an action whose case
changed meanwhile is skipped, as a person would find it already done.
"""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from PIL import Image

from accounts.roles import Role
from departments.models import Officer
from grids.models import GridWorker
from incidents import services
from incidents.choices import CaseStatus
from incidents.exceptions import CaseError
from incidents.models import Case, SubCategory

# What happens in the city, and how often (weights).
ODDS: dict[str, int] = {
    "report": 36,
    "dispatch": 20,
    "start": 12,
    "resolve": 10,
    "approve": 9,
    "self_resolve": 3,
    "urge": 3,
    "return": 2,
    "reject": 2,
    "reopen": 1,
    "redispatch": 2,
}
PICK_FROM = 40  # a case is picked among the newest this many in the wanted status

NOTES = {
    "resolve": ["已现场处置完毕", "已清理干净", "已维修恢复", "已协调解决", "已整改到位"],
    "return": ["不属于本部门职责", "地址不详，需重新核实"],
    "reject": ["重复上报", "不属于受理范围"],
    "reopen": ["现场复核未整改到位"],
    "urge": ["请加快办理", "领导督办，限期办结"],
}
DESCRIPTIONS = ["路边有暴露垃圾", "井盖缺失", "路灯不亮", "占道经营", "违章停车", "道路破损", "噪音扰民", "私搭乱建"]


def photo_bytes(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Cast:
    workers: list[GridWorker]
    dispatchers: list
    leaders: list
    officers: dict[int, list]  # department id → officers' users
    subitems: list[str]

    @classmethod
    def load(cls, worker_sample: int = 400) -> Cast:
        users = get_user_model().objects.filter(is_active=True)
        workers = list(
            GridWorker.objects.filter(grids__isnull=False, user__is_active=True)
            .select_related("user")
            .prefetch_related("grids")
            .distinct()
            .order_by("user__username")[:worker_sample]
        )
        officers: dict[int, list] = {}
        for officer in Officer.objects.filter(user__is_active=True).select_related("user"):
            officers.setdefault(officer.department_id, []).append(officer.user)
        cast = cls(
            workers=workers,
            dispatchers=list(users.filter(groups__name=Role.DISPATCHER).order_by("username")[:10]),
            leaders=list(users.filter(groups__name=Role.LEADER).order_by("username")[:10]),
            officers=officers,
            subitems=list(
                SubCategory.objects.filter(is_active=True, major__is_active=True).values_list("code", flat=True)
            ),
        )
        missing = [name for name in ("workers", "dispatchers", "subitems") if not getattr(cast, name)]
        if missing:
            raise ValueError(f"the city has no {', '.join(missing)}: run `manage.py seed_demo` first")
        return cast


@dataclass
class Simulator:
    cast: Cast
    rng: random.Random
    done: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)

    def step(self) -> str:
        """Take one action; returns its name (or "<name> skipped")."""
        action = self.rng.choices(list(ODDS), weights=list(ODDS.values()))[0]
        try:
            acted = getattr(self, f"do_{action}")()
        except CaseError:
            acted = False
        if not acted and action != "report":
            self.skipped[action] += 1
            action, acted = "report", self.do_report()
        (self.done if acted else self.skipped)[action] += 1
        return action if acted else f"{action} skipped"

    # --- helpers ---------------------------------------------------------------------------------

    def pick(self, *statuses: CaseStatus, query: Callable | None = None) -> Case | None:
        cases = Case.objects.filter(status__in=statuses).order_by("-created_at", "-id")
        if query is not None:
            cases = query(cases)
        ids = list(cases.values_list("id", flat=True)[:PICK_FROM])
        return Case.objects.get(pk=self.rng.choice(ids)) if ids else None

    def officer_for(self, case: Case):
        if case.lead_department_id is None:
            return None
        people = self.cast.officers.get(case.lead_department_id)
        return self.rng.choice(people) if people else None

    def note(self, kind: str) -> str:
        return self.rng.choice(NOTES[kind])

    def point_in(self, worker: GridWorker) -> tuple[float, float]:
        grid = self.rng.choice(list(worker.grids.all()))
        west, south, east, north = grid.boundary.extent
        for _attempt in range(30):
            lng, lat = self.rng.uniform(west, east), self.rng.uniform(south, north)
            if grid.boundary.contains(Point(lng, lat, srid=4326)):
                return lat, lng
        point = grid.boundary.point_on_surface
        return point.y, point.x

    # --- actions ----------------------------------------------------------------------------------

    def do_report(self) -> bool:
        worker = self.rng.choice(self.cast.workers)
        lat, lng = self.point_in(worker)
        services.report_case(
            worker.user,
            subcategory=self.rng.choice(self.cast.subitems),
            description=self.rng.choice(DESCRIPTIONS),
            lat=lat,
            lng=lng,
            client_uuid=uuid.UUID(int=self.rng.getrandbits(128)),
        )
        return True

    def do_dispatch(self) -> bool:
        case = self.pick(CaseStatus.REPORTED, CaseStatus.REGISTERED)
        if case is None:
            return False
        services.dispatch_case(self.rng.choice(self.cast.dispatchers), case)
        return True

    def do_redispatch(self) -> bool:
        case = self.pick(CaseStatus.RETURNED)
        if case is None:
            return False
        services.dispatch_case(self.rng.choice(self.cast.dispatchers), case)
        return True

    def do_reject(self) -> bool:
        case = self.pick(CaseStatus.REPORTED)
        if case is None:
            return False
        services.reject_case(self.rng.choice(self.cast.dispatchers), case, reason=self.note("reject"))
        return True

    def do_start(self) -> bool:
        case = self.pick(CaseStatus.DISPATCHED)
        if case is None:
            return False
        officer = self.officer_for(case)
        if not officer:
            return False
        services.start_case(officer, case)
        return True

    def do_return(self) -> bool:
        case = self.pick(CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS)
        if case is None:
            return False
        officer = self.officer_for(case)
        if not officer:
            return False
        services.return_case(officer, case, reason=self.note("return"))
        return True

    def do_resolve(self) -> bool:
        case = self.pick(CaseStatus.IN_PROGRESS)
        if case is None:
            return False
        officer = self.officer_for(case)
        if not officer:
            return False
        services.resolve_case(officer, case, note=self.note("resolve"))
        return True

    def do_self_resolve(self) -> bool:
        case = self.pick(CaseStatus.REPORTED, query=lambda cases: cases.filter(reporter__grid_worker__isnull=False))
        if case is None:
            return False
        services.self_resolve_case(case.reporter, case, photos=[photo_bytes(self.rng)], note="已现场自行处置")
        return True

    def do_approve(self) -> bool:
        case = self.pick(CaseStatus.RESOLVED)
        if case is None:
            return False
        services.approve_case(self.rng.choice(self.cast.dispatchers), case)
        return True

    def do_reopen(self) -> bool:
        case = self.pick(CaseStatus.RESOLVED)
        if case is None:
            return False
        services.reopen_case(self.rng.choice(self.cast.dispatchers), case, reason=self.note("reopen"))
        return True

    def do_urge(self) -> bool:
        urgers = self.cast.leaders or self.cast.dispatchers
        case = self.pick(CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, query=lambda cases: cases.overdue())
        case = case or self.pick(CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS)
        if case is None:
            return False
        services.urge_case(self.rng.choice(urgers), case, note=self.note("urge"))
        return True
