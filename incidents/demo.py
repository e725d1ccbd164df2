"""The demo city's case history, played through the real domain functions.

``seed(password, log)`` is the seeder ``manage.py seed_demo`` runs after the accounts,
grids and departments. It takes the plan of ``incidents.demo_plan`` and plays every step
of every case in time order through the same functions the pages and the API call
(``report_case``, ``dispatch_case``, ``resolve_case``, ``merge_case``... each with its
``now=``), so the timeline, deadlines, counters and late-step records are all real. Steps
that would come after the present have not happened yet.

It is deterministic (seed ``DEMO_SEED``: the same plan, the same choices of grids,
sub-items and people) and idempotent: each case has a fixed ``client_uuid``, and a
database that holds the first one is left alone. Live events are not published while it
runs (``gridcenter.realtime.muted``): nobody watches a history being written, and each
would cost a Redis round trip per audience. At the end it checks the seed city's figures
as of 1 May 2015 against ``incidents.services.stats.summary``.
"""

from __future__ import annotations

import heapq
import io
import random
import time as clock
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import shapely
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw
from shapely.geometry import Point as ShapelyPoint

from accounts.roles import Role
from departments.models import Department, Officer
from gridcenter.realtime import muted
from grids.models import Grid, GridWorker
from incidents import services
from incidents.choices import CaseSource, Satisfaction, TimeLimitUnit
from incidents.demo_plan import (
    CUTOFF_DAY,
    DEMO_SEED,
    RESUME,
    TZ,
    CasePlan,
    Fate,
    figures_at_cutoff,
    plan_history,
)
from incidents.exceptions import CaseError, CaseValidationError
from incidents.models import Case, SubCategory
from incidents.services.duplicates import merge_case
from worktime import calendar

Log = Callable[[str], object]
NAMESPACE = uuid.UUID("6f1c2b0e-5d1a-4c7e-9a51-2013a0150501")
# The last moments a case may be resolved and still be closed (or reviewed) by the cutoff.
LAST_CLOSED_RESOLVE = datetime(2015, 4, 29, 11, 0, tzinfo=TZ)
LAST_RESOLVE = datetime(2015, 4, 30, 16, 0, tzinfo=TZ)
BACKLOG_MINUTES = 9  # after the holiday the centre clears its review backlog, one every 9 working minutes
OFFICE_DAY_MINUTES = 7 * 60

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林向彭田龙石吴滕麻"
GIVEN = "少富秀春桂兰红明华建国平军文清玉英金海林云志德永成光祥生芳丽梅珍凤翠先昌松柏贵保顺发兴才"
ROADS = ("人民路", "世纪大道", "乾州大道", "团结路", "峒河路", "建新路", "光明路", "武陵路", "湘西大道", "民族路")
DETAILS = ("影响市容", "影响群众出行", "存在安全隐患", "群众反映强烈", "已持续多日", "请尽快处理")
RESOLVE_NOTES = (
    "已安排人员到现场处置完毕，现场已恢复正常。",
    "经现场核实，问题已整改到位。",
    "已联系责任单位处理，处理结果已拍照留存。",
    "已清理完毕，并对周边进行了检查。",
)
RETURN_REASONS = (
    "经核实不属于本部门职责，请重新派遣。",
    "该问题属于其他部门管辖范围，建议转派。",
    "现场情况与上报不符，需中心重新核实后派遣。",
)
REJECT_REASONS = ("不属于网格化受理范围。", "上报信息不实，经核实无此问题。", "重复上报，已在处理中。")
REOPEN_REASONS = ("现场核查未整改到位，请返工。", "群众反映问题依旧存在，请重新处置。")
URGE_NOTES = ("已超期，请加快办理并及时反馈。", "领导督办：请尽快处置。")
PROGRESS_NOTES = ("已到现场查看，正在协调处理。", "已联系相关责任人，正在整改。")


def case_uuid(seed: int, index: int) -> uuid.UUID:
    """The fixed ``client_uuid`` of the history's case number ``index``."""
    return uuid.uuid5(NAMESPACE, f"demo-history:{seed}:{index}")


def work(start: datetime, minutes: float) -> datetime:
    """``minutes`` of working time after ``start`` (the working-time calendar)."""
    return calendar.add_working_time(start, timedelta(minutes=minutes)).deadline


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def phone_number(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "152", "158", "187", "189")) + f"{rng.randrange(10**8):08d}"


def make_photo(rng: random.Random, after: bool) -> bytes:
    """A small generated street photo (the demo has no real ones)."""
    image = Image.new("RGB", (480, 360), (rng.randrange(90, 160), rng.randrange(110, 170), rng.randrange(120, 190)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 360), fill=(120, 120, 115))  # the street
    for _ in range(rng.randint(2, 5)):  # houses
        x = rng.randrange(0, 420)
        draw.rectangle((x, rng.randrange(60, 150), x + rng.randrange(50, 120), 220), fill=(200, 190, 170))
    if not after:  # the problem: a heap of something
        x, y = rng.randrange(60, 380), rng.randrange(240, 300)
        draw.ellipse((x, y, x + rng.randrange(50, 110), y + rng.randrange(25, 50)), fill=(90, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@dataclass
class Place:
    grid_id: int
    community: str
    polygon: object  # shapely geometry
    workers: list


@dataclass
class Cast:
    """Who acts in the history: the centre, the leader, each department's officer and head."""

    dispatcher: object
    leader: object | None
    officers: dict[int, object]  # department id → the officer who handles cases
    heads: dict[int, object]  # department id → the head
    departments: dict[int, Department]

    def officer(self, department_id: int):
        return self.officers.get(department_id) or self.heads.get(department_id)


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


class HistoryRunner:
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
        weights = [1 + (getattr(place, "population", 0) or 0) ** 0.7 for place in places]
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

    # --- steps -----------------------------------------------------------------------------------------
    def _report(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        self._choose(state)
        address = f"{state.place.community}{rng.choice(ROADS)}{rng.randint(1, 300)}号附近"
        source = plan.source
        actor, fields = self.cast.dispatcher, {}
        if source == CaseSource.GRID_WORKER:
            if state.place.workers:
                actor = rng.choice(state.place.workers)
            else:
                source = CaseSource.HOTLINE
        if source == CaseSource.DEPARTMENT:
            actor = self.cast.officer(state.sub.lead_department_id) or self.cast.dispatcher
            if actor is self.cast.dispatcher:
                source = CaseSource.HOTLINE
        if source in (CaseSource.HOTLINE, CaseSource.RESIDENT):
            fields = {"reporter_name": person_name(rng), "reporter_phone": phone_number(rng)}
        if source == CaseSource.RESIDENT:
            actor = None
        if source == CaseSource.LEADER:
            fields = {"reporter_name": rng.choice(("市委领导", "市政府领导", "分管副市长"))}
        photos = [make_photo(rng, after=False)] if plan.photos and source == CaseSource.GRID_WORKER else []
        case = services.report_case(
            actor,
            subcategory=state.sub,
            description=self._description(state, address),
            lat=round(state.lat, 7),
            lng=round(state.lng, 7),
            address=address,
            client_uuid=case_uuid(self.seed, plan.index),
            source=source,
            photos=photos,
            now=when,
            **fields,
        ).case
        state.case_id = case.pk
        state.extra["reporter"] = actor
        state.extra["source"] = source
        if plan.self_resolve and source == CaseSource.GRID_WORKER:
            self.at(when + timedelta(minutes=rng.uniform(5, 40)), state, "self_resolve")
        elif plan.fate == Fate.REPORTED:
            self.at(work(RESUME, rng.uniform(1, 25)), state, "decide")
        else:
            self.at(work(when, rng.uniform(35, 150) if plan.late_accept else rng.uniform(2, 26)), state, "decide")

    def _decide(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        dispatcher = self.cast.dispatcher
        if plan.duplicate_of is not None:
            original = self.states[plan.duplicate_of].case_id
            try:
                merge_case(dispatcher, state.case_id, into=original, now=when)
            except CaseValidationError:  # the original was closed meanwhile: an ordinary rejection
                services.reject_case(dispatcher, state.case_id, reason=REJECT_REASONS[2], now=when)
            return
        if plan.fate == Fate.REJECTED:
            services.reject_case(dispatcher, state.case_id, reason=rng.choice(REJECT_REASONS), now=when)
            return
        if plan.accept_first or plan.fate == Fate.REGISTERED:
            services.accept_case(dispatcher, state.case_id, now=when)
            if plan.fate == Fate.REGISTERED:
                later = work(RESUME, rng.uniform(10, 40))
            else:
                later = work(when, rng.uniform(2, 20))
            self.at(later, state, "dispatch")
            return
        self._dispatch(state, when)

    def _dispatch(self, state: CaseState, when: datetime, department_id: int | None = None) -> None:
        rng, sub = state.rng, state.sub
        lead = department_id or sub.lead_department_id
        assisting = []
        if department_id is None and rng.random() < 0.15:
            assisting = [pk for pk in state.extra.setdefault("assisting", self._assisting(sub)) if pk != lead][:2]
        case = services.dispatch_case(
            self.cast.dispatcher,
            state.case_id,
            department=self.cast.departments[lead],
            assisting=[self.cast.departments[pk] for pk in assisting],
            now=when,
        )
        state.lead_id, state.dispatched_at, state.deadline = lead, when, case.deadline
        state.unit = case.time_limit_unit
        self._after_dispatch(state, when)

    def _assisting(self, sub: SubCategory) -> list[int]:
        return [pk for pk in sub.assisting_departments.values_list("pk", flat=True) if pk in self.cast.departments]

    def _after_dispatch(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        head, officer = self.cast.heads.get(state.lead_id), self.cast.officer(state.lead_id)
        if plan.assigned and head is not None and officer is not None and head is not officer:
            self.at(work(when, rng.uniform(1, 5)), state, "assign")
        if (plan.returned or plan.fate == Fate.RETURNED) and not state.detoured:
            back = work(when, rng.uniform(30, 240))
            self.at(min(back, LAST_RESOLVE) if plan.fate == Fate.RETURNED else back, state, "return")
            return
        if plan.fate == Fate.DISPATCHED:
            self.at(work(RESUME, rng.uniform(5, 120)), state, "start")
            return
        self.at(self._after(state, when, rng.uniform(5, 90), rng.uniform(0.03, 0.15)), state, "start")

    def _after(self, state: CaseState, start: datetime, minutes: float, share: float) -> datetime:
        """``minutes`` after ``start``, but at most ``share`` of the time the department was given."""
        if state.unit == TimeLimitUnit.NATURAL_HOURS:
            allowed = (state.deadline - state.dispatched_at).total_seconds() / 60
            return start + timedelta(minutes=min(minutes, share * allowed))
        allowed = calendar.working_time_between(state.dispatched_at, state.deadline).total_seconds() / 60
        return work(start, min(minutes, share * allowed))

    def _share_of_limit(self, state: CaseState, share: float) -> datetime:
        """The instant at ``share`` of the time allowed between dispatch (or reopening) and the deadline."""
        begin = state.extra.get("clock_from", state.dispatched_at)
        if state.unit == TimeLimitUnit.NATURAL_HOURS:
            return begin + (state.deadline - begin) * share
        allowed = calendar.working_time_between(begin, state.deadline)
        return calendar.add_working_time(begin, allowed * share).deadline

    def _assign(self, state: CaseState, when: datetime) -> None:
        try:
            services.assign_case(
                self.cast.heads[state.lead_id], state.case_id, officer=self.cast.officer(state.lead_id), now=when
            )
        except CaseError:
            pass  # already started or returned: the head was too late

    def _return(self, state: CaseState, when: datetime) -> None:
        rng = state.rng
        officer = self.cast.officer(state.lead_id)
        services.return_case(officer, state.case_id, reason=rng.choice(RETURN_REASONS), now=when)
        state.detoured = True
        others = [pk for pk in self._assisting(state.sub) if pk != state.lead_id and self.cast.officer(pk)]
        others = others or [pk for pk in self.other_departments if pk != state.lead_id]
        state.extra["redispatch_to"] = rng.choice(others)
        if state.plan.fate == Fate.RETURNED:
            self.at(work(RESUME, rng.uniform(10, 60)), state, "redispatch")
        else:
            self.at(work(when, rng.uniform(5, 25)), state, "redispatch")

    def _redispatch(self, state: CaseState, when: datetime) -> None:
        self._dispatch(state, when, department_id=state.extra["redispatch_to"])

    def _start(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        officer = self.cast.officer(state.lead_id)
        services.start_case(officer, state.case_id, now=when)
        if plan.overdue:
            share = rng.uniform(1.1, 2.5)
        else:  # departments take more of their time nowadays than in the record's first years
            share = rng.uniform(0.35, 0.95) if plan.fate == Fate.LIVE else rng.uniform(0.25, 0.9)
        self._plan_resolution(state, when, share=share)
        if plan.overdue and self.cast.leader is not None:
            self.at(state.deadline + timedelta(hours=rng.uniform(1, 6)), state, "urge")

    def _plan_resolution(self, state: CaseState, after: datetime, share: float) -> None:
        plan, rng = state.plan, state.rng
        resolve = max(self._share_of_limit(state, share), after + timedelta(minutes=5))
        if plan.fate == Fate.CLOSED:
            resolve = max(min(resolve, LAST_CLOSED_RESOLVE), after + timedelta(minutes=5))
        elif plan.fate == Fate.RESOLVED:
            resolve = max(min(resolve, LAST_RESOLVE), after + timedelta(minutes=5))
        elif plan.fate in (Fate.IN_PROGRESS, Fate.DISPATCHED, Fate.RETURNED) and not state.reworked:
            resolve = max(resolve, work(RESUME, rng.uniform(0, 3 * OFFICE_DAY_MINUTES)))
        state.extra["resolve_at"] = resolve
        if plan.progress_note:
            self.at(after + (resolve - after) / 2, state, "note")
        self.at(resolve, state, "resolve")

    def _note(self, state: CaseState, when: datetime) -> None:
        try:
            services.add_note_case(
                self.cast.officer(state.lead_id), state.case_id, note=state.rng.choice(PROGRESS_NOTES), now=when
            )
        except CaseError:
            pass

    def _urge(self, state: CaseState, when: datetime) -> None:
        if when < state.extra.get("resolve_at", when):
            services.urge_case(self.cast.leader, state.case_id, note=state.rng.choice(URGE_NOTES), now=when)

    def _resolve(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        photos = [make_photo(rng, after=True)] if plan.photos else []
        services.resolve_case(
            self.cast.officer(state.lead_id), state.case_id, note=rng.choice(RESOLVE_NOTES), photos=photos, now=when
        )
        self._plan_review(state, when)

    def _self_resolve(self, state: CaseState, when: datetime) -> None:
        rng = state.rng
        services.self_resolve_case(
            state.extra["reporter"],
            state.case_id,
            photos=[make_photo(rng, after=True)],
            note="已现场处置完毕。",
            now=when,
        )
        self._plan_review(state, when)

    def _plan_review(self, state: CaseState, resolved: datetime) -> None:
        plan, rng = state.plan, state.rng
        if plan.fate == Fate.RESOLVED and not state.reworked:
            self.backlog += 1
            review = work(RESUME, self.backlog * BACKLOG_MINUTES + rng.uniform(0, 5))
            verify = resolved + timedelta(minutes=rng.uniform(30, 3000))
        else:
            minutes = rng.uniform(35, 180) if plan.late_review else rng.uniform(4, 27)
            review = work(resolved, minutes)
            verify = work(resolved, rng.uniform(1, minutes - 2))
        if plan.verified and state.place.workers and verify < review:
            self.at(verify, state, "verify")
        self.at(review, state, "review")

    def _verify(self, state: CaseState, when: datetime) -> None:
        worker = state.rng.choice(state.place.workers)
        services.verify_case(worker, state.case_id, note="已到现场核查，情况属实。", now=when)

    def _review(self, state: CaseState, when: datetime) -> None:
        plan, rng = state.plan, state.rng
        if plan.reworked and not state.reworked and state.lead_id is not None:
            reason = rng.choice(REOPEN_REASONS)
            case = services.reopen_case(self.cast.dispatcher, state.case_id, reason=reason, now=when)
            state.reworked = True
            state.deadline, state.extra["clock_from"] = case.deadline, when
            self._plan_resolution(state, when, share=rng.uniform(0.2, 0.6))
            return
        satisfaction = None
        if state.extra["source"] in (CaseSource.HOTLINE, CaseSource.RESIDENT):
            satisfaction = rng.choices(list(Satisfaction), weights=(80, 15, 5))[0]
        services.approve_case(self.cast.dispatcher, state.case_id, satisfaction=satisfaction, now=when)


# --- the database's side -----------------------------------------------------------------------------


def load_cast() -> Cast | None:
    users = get_user_model().objects

    def first(username: str, role: Role):
        return users.filter(username=username).first() or users.filter(groups__name=role.value).order_by("pk").first()

    dispatcher = first("dispatcher", Role.DISPATCHER)
    if dispatcher is None:
        return None
    officers, heads = {}, {}
    for officer in Officer.objects.select_related("user").order_by("user__username"):
        (heads if officer.is_head else officers).setdefault(officer.department_id, officer.user)
    departments = {d.pk: d for d in Department.objects.filter(is_active=True)}
    return Cast(dispatcher, first("leader", Role.LEADER), officers, heads, departments)


def load_places() -> list[Place]:
    users = {}
    links = GridWorker.grids.through.objects.values_list("grid_id", "gridworker__user_id")
    workers: dict[int, list[int]] = {}
    for grid_id, user_id in links:
        workers.setdefault(grid_id, []).append(user_id)
    wanted = {pk for ids in workers.values() for pk in ids}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=wanted)}
    places = []
    for grid in Grid.objects.active().select_related("community").order_by("code"):
        place = Place(
            grid.pk,
            grid.community.name,
            shapely.from_wkb(bytes(grid.boundary.wkb)),
            [users[pk] for pk in sorted(workers.get(grid.pk, []))],
        )
        place.population = grid.population
        places.append(place)
    return places


def load_subs() -> list[SubCategory]:
    return list(
        SubCategory.objects.filter(is_active=True, major__is_active=True)
        .filter(Q(lead_department__is_active=True))
        .select_related("lead_department")
        .order_by("code")
    )


def already_seeded(seed: int = DEMO_SEED) -> bool:
    return Case.objects.filter(client_uuid=case_uuid(seed, 0)).exists()


def run_history(
    now: datetime, log: Log, *, seed: int = DEMO_SEED, plans: list[CasePlan] | None = None, check: bool = True
) -> HistoryRunner | None:
    """Play the history up to ``now``; ``None`` (and nothing written) when already seeded."""
    if already_seeded(seed):
        log("incidents: the case history is there already; left as it is")
        return None
    cast, places, subs = load_cast(), load_places(), load_subs()
    if cast is None or not places or not subs:
        log("incidents: no dispatcher, grids or sub-items: no case history")
        return None
    started = clock.perf_counter()
    plans = plan_history(seed, now) if plans is None else plans
    runner = HistoryRunner(plans, cast=cast, places=places, subs=subs, now=now, seed=seed)
    steps = runner.run()
    elapsed = clock.perf_counter() - started
    log(f"incidents: {len(plans)} cases, {steps} steps through the domain functions in {elapsed:.1f} s")
    if check:
        expected = figures_at_cutoff(plans)
        actual = services.summary(cast.dispatcher, CUTOFF_DAY)
        if actual != expected:
            raise RuntimeError(f"the seeded figures as of {CUTOFF_DAY} are {actual}, not {expected}")
        log(f"incidents: as of {CUTOFF_DAY}: " + ", ".join(f"{key} {value:,}" for key, value in actual.items()))
    return runner


def seed(password: str, log: Log) -> None:
    """The seeder of ``manage.py seed_demo`` (``SEEDERS``)."""
    run_history(timezone.now(), log)
