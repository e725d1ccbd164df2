"""Top the demo history up to now: a demo started weeks after the first seeding still shows
today's work, overdue cases and this month's evaluation.

``top_up(now, log)`` runs instead of the history when the history is there already
(``seeding.seed``, so on every ``make run``). From the last moment in the database
(``since``: the latest timeline row) to ``now``, in time order, through the domain
functions:

* **new reports**, each day's planned from the day alone (``day_plans``: its own random
  numbers and ``client_uuid``s, the rate of ``plan.LIVE_RATES`` for the day's age), so a
  case already in the database is never reported twice;
* **every open case takes its next steps** (dispatch, start, resolve, review), each one
  timed from the case's state in the database alone (``next_step``): how long since it
  entered its status, with random numbers drawn from the case's client key and that
  instant, and never before ``since``. About one case in seven (and every case overdue
  already) is resolved 0.3 to 2.5 working days after its deadline: overdue cases exist.

Idempotent: the steps depend on the database and ``now`` only, and everything due by
``now`` is done, so a second top-up to the same ``now`` finds nothing to do.
"""

from __future__ import annotations

import heapq
import random
import time as clock
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db.models import F, Max

from gridcenter.realtime import muted
from incidents import services
from incidents.choices import CaseSource, CaseStatus, Satisfaction, TimeLimitUnit
from incidents.demo.cast import load_cast, load_places, load_subs
from incidents.demo.content import RESOLVE_NOTES, make_photo
from incidents.demo.plan import DEMO_SEED, LIVE_RATES, TZ, CasePlan, Fate, _daytime, _poisson, _source, case_uuid
from incidents.demo.runner import HistoryRunner
from incidents.demo.timing import OFFICE_DAY_MINUTES, work
from incidents.exceptions import CaseError
from incidents.models import Case, CaseEvent
from worktime import calendar

Log = Callable[[str], object]
OVERDUE_SHARE = 0.15  # cases whose department overruns its time limit
LATE_SHARE = 0.04  # steps of the centre that take longer than its 30 working minutes
NEXT_STEP = {
    CaseStatus.REPORTED: "dispatch",
    CaseStatus.REGISTERED: "dispatch",
    CaseStatus.RETURNED: "dispatch",
    CaseStatus.DISPATCHED: "start",
    CaseStatus.IN_PROGRESS: "resolve",
    CaseStatus.RESOLVED: "review",
}


def top_up(now: datetime, log: Log, *, seed: int = DEMO_SEED) -> int:
    """Play the demo city from the last moment in the database to ``now``; the steps taken."""
    cast, places, subs = load_cast(), load_places(), load_subs()
    since = CaseEvent.objects.aggregate(last=Max("created_at"))["last"]
    if cast is None or not places or not subs or since is None or since >= now:
        log("incidents: nothing to top up")
        return 0
    started = clock.perf_counter()
    plans = new_plans(since, now, seed)
    runner = TopUp(plans, cast=cast, places=places, subs=subs, now=now, seed=seed)
    queue: list[tuple[datetime, int, str]] = [(plan.reported_at, plan.index, "report") for plan in plans]
    for case in Case.objects.filter(status__in=list(NEXT_STEP)).select_related("subcategory"):
        _queue_next(queue, case, since, now)
    heapq.heapify(queue)
    steps = 0
    with muted():
        while queue:
            when, key, step = heapq.heappop(queue)
            if step == "report":
                state = runner.states[key]
                runner._report(state, when)
                moved: Case | None = Case.objects.get(client_uuid=case_uuid(seed, key))
            else:
                moved = runner.act(Case.objects.select_related("subcategory").get(pk=key), step, when)
            if moved is not None:
                steps += 1
                _queue_next(queue, moved, since, now)
    elapsed = clock.perf_counter() - started
    began = since.astimezone(TZ)
    log(f"incidents: topped up from {began:%Y-%m-%d %H:%M}: {len(plans)} new cases, {steps} steps in {elapsed:.1f} s")
    return steps


def _queue_next(queue: list[tuple[datetime, int, str]], case: Case, since: datetime, now: datetime) -> None:
    upcoming = next_step(case, since)
    if upcoming is not None and upcoming[0] <= now:
        heapq.heappush(queue, (upcoming[0], case.pk, upcoming[1]))


def new_plans(since: datetime, now: datetime, seed: int = DEMO_SEED) -> list[CasePlan]:
    """The reports after ``since`` up to ``now`` that are not in the database yet."""
    day, last = since.astimezone(TZ).date(), now.astimezone(TZ).date()
    plans: list[CasePlan] = []
    while day <= last:
        plans += [plan for plan in day_plans(day, now, seed) if plan.reported_at > since]
        day += timedelta(days=1)
    uuids = [case_uuid(seed, plan.index) for plan in plans]
    there = set(Case.objects.filter(client_uuid__in=uuids).values_list("client_uuid", flat=True))
    return [plan for plan, uuid in zip(plans, uuids, strict=True) if uuid not in there]


def day_plans(day: date, now: datetime, seed: int = DEMO_SEED) -> list[CasePlan]:
    """The reports of ``day`` before ``now``: drawn from the day and its age alone (the rate of
    ``LIVE_RATES``), so a top-up to the same moment plans the same cases."""
    rng = random.Random(f"{seed}:top-up:{day.isoformat()}")  # noqa: S311 - a reproducible demo
    age = (now.astimezone(TZ).date() - day).days
    rate = next(rate for starts, rate in reversed(LIVE_RATES) if age < starts)
    plans = []
    for number in range(_poisson(rng, rate)):
        index = day.toordinal() * 1000 + number  # apart from the history's own numbers
        reported = _daytime(rng, day)
        source = _source(rng)
        plan = CasePlan(index, Fate.LIVE, reported, source, photos=source == CaseSource.GRID_WORKER)
        plan.rng_seed = f"{seed}:top-up:{index}"
        if reported < now:
            plans.append(plan)
    return plans


def entered_at(case: Case) -> datetime:
    """When the case entered its status (the last timeline row that changed it)."""
    row = case.events.exclude(from_status=F("to_status")).order_by("-created_at", "-id").first()
    row = row or case.events.order_by("-created_at", "-id").first()
    assert row is not None  # every case has its report row
    return row.created_at


def case_rng(case: Case, *salt: object) -> random.Random:
    """Random numbers of the case (by its client key where it has one: the same in every database)."""
    key = ":".join(str(part) for part in (case.client_uuid or case.pk, *salt))
    return random.Random(key)  # noqa: S311 - a reproducible demo, not secrets


def next_step(case: Case, since: datetime) -> tuple[datetime, str] | None:
    """The open case's next step and its instant, from the database alone (``None``: nothing to do)."""
    step = NEXT_STEP.get(CaseStatus(case.status))
    if step is None or case.held_since is not None:
        return None
    entered = entered_at(case)
    rng = case_rng(case, entered.isoformat())
    late = rng.random() < LATE_SHARE
    if step == "dispatch":
        when = work(entered, rng.uniform(35, 150) if late else rng.uniform(2, 26))
    elif step == "review":
        when = work(entered, rng.uniform(35, 180) if late else rng.uniform(4, 27))
    elif step == "start":
        when = share_of_limit(case, entered, rng.uniform(0.03, 0.15))
    else:
        when = max(_resolution(case, entered, since, rng), entered + timedelta(minutes=5))
    return max(when, since), step


def _resolution(case: Case, entered: datetime, since: datetime, rng: random.Random) -> datetime:
    """When the department resolves the case: within its time limit, or for about one case in
    seven (and every case overdue already) 0.3 to 2.5 working days after the deadline."""
    deadline = case.deadline
    overdue = case_rng(case, "overdue").random() < OVERDUE_SHARE or (deadline is not None and deadline < since)
    if overdue and deadline is not None:
        return work(deadline, rng.uniform(0.3, 2.5) * OFFICE_DAY_MINUTES)
    return share_of_limit(case, case.dispatched_at or entered, rng.uniform(0.35, 0.95))


def share_of_limit(case: Case, begin: datetime, share: float) -> datetime:
    """The instant at ``share`` of the time the department was given, counted from ``begin``."""
    if case.deadline is None or case.deadline <= begin:
        return work(begin, 60 * share)
    if case.time_limit_unit == TimeLimitUnit.NATURAL_HOURS:
        return begin + (case.deadline - begin) * share
    allowed = calendar.working_time_between(begin, case.deadline)
    return calendar.add_working_time(begin, allowed * share).deadline


class TopUp(HistoryRunner):
    """The history's player for new reports only: the steps after a report come from ``next_step``."""

    def at(self, when: datetime, state, step: str) -> None:
        return None

    def act(self, case: Case, step: str, when: datetime) -> Case | None:
        """Take the step through the domain function: the case after it (``None``: it cannot take it)."""
        cast = self.cast
        rng = case_rng(case, step, when.isoformat())
        officer = case.assigned_officer or cast.officer(case.lead_department_id or 0)
        try:
            if step == "dispatch":
                department = self._department(case, rng)
                if department is None:
                    return None
                return services.dispatch_case(cast.dispatcher, case, department=department, now=when)
            if step == "start" and officer is not None:
                return services.start_case(officer, case, now=when)
            if step == "resolve" and officer is not None:
                photos = [make_photo(rng, after=True)] if case.source == CaseSource.GRID_WORKER else []
                return services.resolve_case(officer, case, note=rng.choice(RESOLVE_NOTES), photos=photos, now=when)
            if step == "review":
                satisfaction = None
                if case.source in (CaseSource.HOTLINE, CaseSource.RESIDENT):
                    satisfaction = rng.choices(list(Satisfaction), weights=(80, 15, 5))[0]
                return services.approve_case(cast.dispatcher, case, satisfaction=satisfaction, now=when)
        except CaseError:
            return None
        return None

    def _department(self, case: Case, rng: random.Random):
        """The lead department of the sub-item; another one after a return."""
        departments = self.cast.departments
        if case.status == CaseStatus.RETURNED:
            others = [pk for pk in sorted(departments) if pk != case.lead_department_id and self.cast.officer(pk)]
            return departments[rng.choice(others)] if others else None
        return departments.get(case.subcategory.lead_department_id)
