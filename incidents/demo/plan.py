"""The plan of the demo city's case history: which cases, when, and how each one ends.

Pure and deterministic (no database): ``plan_history(seed, now)`` returns one
``CasePlan`` per case, in the order they were reported. ``incidents.demo.runner`` then
plays the plan through the real domain functions.

Two parts:

* **The seed city's record, April 2013 – 1 May 2015.** Each of the 1,544 cases gets a
  *fate*: the state it is in at the end of 1 May 2015 (``CUTOFF``). The fates are counted
  so that the wall screen's five figures as of that day are exactly the seed city's:
  received 1,544, closed 1,133, pending review 339, in progress 48, other 24
  (``FATE_COUNTS``). What happens to those cases afterwards (the review backlog is
  cleared after the May Day holiday, the cases in progress are finished) is the runner's.
* **From then on to today**, cases arrive at a modest rate (a sample of the years in
  between: seeding plays every step of every case), rising over the last year to a busy
  city's over the last two weeks (``LIVE_RATES``), and go their natural way: mostly
  handled in time, a few overdue, returned or reworked. Their steps that would fall
  after ``now`` have not happened yet, which leaves today's queues naturally filled.
"""

from __future__ import annotations

import enum
import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from incidents.choices import CaseSource, CaseStatus, WallScreenFigure

TZ = ZoneInfo("Asia/Shanghai")
HISTORY_START = datetime(2013, 4, 1, tzinfo=TZ)
CUTOFF_DAY = date(2015, 5, 1)  # the seed city's figures are as of the end of this day
CUTOFF = datetime(2015, 5, 2, tzinfo=TZ)
# The first office morning after the 2015 May Day holiday (1–3 May).
RESUME = datetime(2015, 5, 4, 8, 0, tzinfo=TZ)
DEMO_SEED = 2015
# Each case's fixed ``client_uuid`` (``case_uuid``) makes seeding idempotent.
NAMESPACE = uuid.UUID("6f1c2b0e-5d1a-4c7e-9a51-2013a0150501")


class Fate(enum.StrEnum):
    """Where a case of the seed city's record stands at ``CUTOFF`` (``LIVE``: reported after it)."""

    CLOSED = "closed"
    RESOLVED = "resolved"
    IN_PROGRESS = "in_progress"
    DISPATCHED = "dispatched"
    RETURNED = "returned"
    REPORTED = "reported"
    REGISTERED = "registered"
    REJECTED = "rejected"
    MERGED = "merged"  # rejected as a duplicate of another case
    LIVE = "live"

    @property
    def status(self) -> CaseStatus:
        """The case's status at ``CUTOFF``."""
        return CaseStatus.REJECTED if self == Fate.MERGED else CaseStatus(self.value)


# The seed city on 1 May 2015: closed 1,133; pending review 339; in progress 48
# (9 dispatched, 33 in progress, 6 returned); other 24 (13 rejected, 4 merged duplicates,
# 4 reported on the holiday, 3 registered); received 1,544.
FATE_COUNTS: dict[Fate, int] = {
    Fate.CLOSED: 1133,
    Fate.RESOLVED: 339,
    Fate.DISPATCHED: 9,
    Fate.IN_PROGRESS: 33,
    Fate.RETURNED: 6,
    Fate.REJECTED: 13,
    Fate.MERGED: 4,
    Fate.REPORTED: 4,
    Fate.REGISTERED: 3,
}
SEED_CITY_FIGURES = {
    WallScreenFigure.RECEIVED: 1544,
    WallScreenFigure.CLOSED: 1133,
    WallScreenFigure.PENDING_REVIEW: 339,
    WallScreenFigure.IN_PROGRESS: 48,
    WallScreenFigure.OTHER: 24,
}

# When each fate's cases were reported (from, to): late enough in the record to be still
# where the fate says at the cutoff, early enough for everything before it to fit.
FATE_WINDOWS: dict[Fate, tuple[datetime, datetime]] = {
    Fate.CLOSED: (HISTORY_START, datetime(2015, 4, 16, tzinfo=TZ)),
    Fate.RESOLVED: (datetime(2015, 1, 12, tzinfo=TZ), datetime(2015, 4, 25, tzinfo=TZ)),
    Fate.IN_PROGRESS: (datetime(2015, 4, 1, tzinfo=TZ), datetime(2015, 4, 28, tzinfo=TZ)),
    Fate.DISPATCHED: (datetime(2015, 4, 27, 8, tzinfo=TZ), datetime(2015, 4, 30, 15, tzinfo=TZ)),
    Fate.RETURNED: (datetime(2015, 4, 15, tzinfo=TZ), datetime(2015, 4, 28, tzinfo=TZ)),
    Fate.REPORTED: (datetime(2015, 5, 1, 8, tzinfo=TZ), datetime(2015, 5, 1, 22, tzinfo=TZ)),
    Fate.REGISTERED: (datetime(2015, 4, 30, 14, 30, tzinfo=TZ), datetime(2015, 4, 30, 16, 30, tzinfo=TZ)),
    Fate.REJECTED: (HISTORY_START, datetime(2015, 4, 28, tzinfo=TZ)),
}
# Cases that take detours (returned, reworked) before closing were reported before this.
DETOUR_BEFORE = datetime(2015, 3, 15, tzinfo=TZ)

# Where cases come from (信息来源), as shares of all reports.
SOURCE_SHARES: dict[CaseSource, float] = {
    CaseSource.GRID_WORKER: 0.68,
    CaseSource.HOTLINE: 0.12,
    CaseSource.RESIDENT: 0.06,
    CaseSource.CAMERA: 0.06,
    CaseSource.DEPARTMENT: 0.05,
    CaseSource.LEADER: 0.03,
}

# Reports per day after the cutoff: (days before today at which the rate starts, rate).
# A sample of the years in between (every case costs its steps at seeding time), then the
# rate of a city whose grid workers all report: cases of the last two weeks are the ones
# still open today, in the queues of the console and the workbench.
LIVE_RATES = ((math.inf, 0.02), (365, 0.3), (60, 3.0), (14, 14.0))
# Reports come in the daytime: weight of each hour of the day (0–23).
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 13, 11, 7, 7, 10, 12, 12, 11, 9, 7, 5, 3, 2, 1)
PHOTO_DAYS = 45  # cases reported this recently have photos (older ones did not keep theirs)


@dataclass
class CasePlan:
    """One case of the history and the turns it takes (the runner decides exact times)."""

    index: int
    fate: Fate
    reported_at: datetime
    source: CaseSource
    self_resolve: bool = False  # solved on the spot by the reporting grid worker
    accept_first: bool = False  # accepted (classified) first, dispatched in a second step
    late_accept: bool = False  # the centre exceeds its 30 working minutes to decide
    late_review: bool = False  # the centre exceeds its 30 working minutes to review
    overdue: bool = False  # the department misses its deadline
    returned: bool = False  # the first department returns it; the centre dispatches again
    reworked: bool = False  # reopened once at review
    verified: bool = False  # a grid worker confirms the fix on site before the review
    assigned: bool = False  # the department head assigns it before an officer starts
    progress_note: bool = False
    duplicate_of: int | None = None  # the index of the case this report repeats
    long_limit: bool = False  # has a duplicate: give it a sub-item with a limit in days
    photos: bool = False
    rng_seed: str = field(default="", repr=False)

    def rng(self) -> random.Random:
        """This case's own random numbers (the same whatever else the history holds)."""
        return random.Random(self.rng_seed)  # noqa: S311 - a reproducible demo, not secrets


def _spread(rng: random.Random, start: datetime, end: datetime, ramp: float = 0.0) -> datetime:
    """A random instant in [start, end): uniform, or denser towards the end (``ramp`` > 0)."""
    u = rng.random()
    if ramp:
        # Inverse of the CDF of a density rising linearly from 1 to 1 + ramp.
        u = (math.sqrt(1 + ramp * (2 + ramp) * u) - 1) / ramp
    return start + (end - start) * u


def _daytime(rng: random.Random, day: date) -> datetime:
    hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=TZ)


def _at_daytime(rng: random.Random, instant: datetime, start: datetime, end: datetime) -> datetime:
    """``instant``'s day at a daytime hour, kept inside [start, end)."""
    moved = _daytime(rng, instant.astimezone(TZ).date())
    return min(max(moved, start), end - timedelta(minutes=1))


def _source(rng: random.Random) -> CaseSource:
    sources = list(SOURCE_SHARES)
    return rng.choices(sources, weights=[SOURCE_SHARES[s] for s in sources])[0]


def _turns(plan: CasePlan, rng: random.Random, now: datetime) -> None:
    """The detours a case takes, drawn for each case from its own numbers."""
    fate = plan.fate
    worker = plan.source == CaseSource.GRID_WORKER
    handled = fate in (Fate.CLOSED, Fate.RESOLVED, Fate.LIVE)
    plan.self_resolve = worker and handled and rng.random() < 0.10
    plan.accept_first = fate == Fate.REGISTERED or (not plan.self_resolve and rng.random() < 0.10)
    plan.late_accept = fate not in (Fate.REPORTED, Fate.REGISTERED) and rng.random() < 0.04
    plan.late_review = fate in (Fate.CLOSED, Fate.LIVE) and rng.random() < 0.04
    plan.overdue = not plan.self_resolve and rng.random() < (0.08 if fate == Fate.LIVE else 0.05)
    early = fate == Fate.CLOSED and plan.reported_at < DETOUR_BEFORE
    detours = not plan.self_resolve and (fate == Fate.LIVE or early)
    plan.returned = fate == Fate.RETURNED or (detours and rng.random() < 0.04)
    plan.reworked = detours and rng.random() < 0.03
    # Fewer of the optional steps in the old record: each costs a domain call at seeding time.
    recent = fate == Fate.LIVE
    plan.verified = handled and rng.random() < (0.35 if recent else 0.15)
    plan.assigned = rng.random() < (0.15 if recent else 0.05)
    plan.progress_note = rng.random() < (0.15 if recent else 0.05)
    plan.photos = plan.self_resolve or (now - plan.reported_at < timedelta(days=PHOTO_DAYS) and worker)


def _record(rng: random.Random) -> list[tuple[Fate, datetime]]:
    """The seed city's 1,544 cases: each fate's report times inside its window."""
    cases: list[tuple[Fate, datetime]] = []
    for fate, count in FATE_COUNTS.items():
        if fate == Fate.MERGED:
            continue  # placed next to their originals below
        start, end = FATE_WINDOWS[fate]
        ramp = 0.8 if fate == Fate.CLOSED else 0.0  # the system took on over its first two years
        for _ in range(count):
            cases.append((fate, _at_daytime(rng, _spread(rng, start, end, ramp), start, end)))
    return cases


def _live(rng: random.Random, now: datetime) -> list[datetime]:
    """Report times from the cutoff to ``now`` at ``LIVE_RATES`` (a Poisson process per day)."""
    times = []
    day = CUTOFF.date()
    while day <= now.date():
        age = (now.date() - day).days
        rate = next(rate for starts, rate in reversed(LIVE_RATES) if age < starts)
        for _ in range(_poisson(rng, rate)):
            reported = _daytime(rng, day)
            if CUTOFF <= reported < now:
                times.append(reported)
        day += timedelta(days=1)
    return times


def _poisson(rng: random.Random, rate: float) -> int:
    threshold, count, product = math.exp(-rate), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def plan_history(seed: int = DEMO_SEED, now: datetime | None = None, *, live: bool = True) -> list[CasePlan]:
    """Every case of the demo history, in report order (see the module docstring)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not secrets
    now = now or CUTOFF
    entries = _record(rng)
    if live:
        entries += [(Fate.LIVE, reported) for reported in _live(rng, now)]
    entries.sort(key=lambda entry: entry[1])
    plans = [
        CasePlan(index=i, fate=fate, reported_at=reported, source=_source(rng), rng_seed=f"{seed}:{i}")
        for i, (fate, reported) in enumerate(entries)
    ]
    for plan in plans:
        _turns(plan, plan.rng(), now)
    plans = _with_duplicates(plans, rng, now, live=live)
    return plans


def _with_duplicates(plans: list[CasePlan], rng: random.Random, now: datetime, *, live: bool) -> list[CasePlan]:
    """Add the merged duplicates: a second report of an open case, close by, a little later.

    ``FATE_COUNTS[MERGED]`` of them in the record, about one in 150 live reports after it.
    """

    def eligible(plan: CasePlan) -> bool:
        return not (plan.self_resolve or plan.returned or plan.reworked or plan.overdue or plan.accept_first)

    record = [p for p in plans if p.fate == Fate.CLOSED and eligible(p) and p.reported_at < DETOUR_BEFORE]
    originals = [(Fate.MERGED, p) for p in rng.sample(record, FATE_COUNTS[Fate.MERGED])]
    if live:
        recent = [p for p in plans if p.fate == Fate.LIVE and eligible(p) and now - p.reported_at > timedelta(days=2)]
        originals += [(Fate.LIVE, p) for p in rng.sample(recent, len(recent) // 150)]
    duplicates = []
    for fate, original in originals:
        original.long_limit = True
        reported = original.reported_at + timedelta(minutes=rng.randint(40, 240))
        duplicates.append(
            CasePlan(
                index=-1,
                fate=fate,
                reported_at=reported,
                source=rng.choice([CaseSource.GRID_WORKER, CaseSource.RESIDENT, CaseSource.HOTLINE]),
                duplicate_of=original.index,
                rng_seed=f"dup:{original.rng_seed}",
            )
        )
    for duplicate in duplicates:
        duplicate.late_accept = duplicate.rng().random() < 0.04
        duplicate.photos = now - duplicate.reported_at < timedelta(days=PHOTO_DAYS)
    # Renumber in report order; duplicates point at their originals' new numbers.
    merged = sorted(plans + duplicates, key=lambda p: (p.reported_at, p.duplicate_of is not None))
    by_old = {id(p): i for i, p in enumerate(merged)}
    old_index = {p.index: p for p in plans}
    for plan in merged:
        if plan.duplicate_of is not None:
            plan.duplicate_of = by_old[id(old_index[plan.duplicate_of])]
    for i, plan in enumerate(merged):
        plan.index = i
    return merged


def figure_of(fate: Fate) -> WallScreenFigure:
    """The wall-screen figure a case of this fate counts in at the cutoff."""
    return fate.status.figure


def figures_at_cutoff(plans: list[CasePlan]) -> dict[str, int]:
    """The five figures the plan promises as of the end of ``CUTOFF_DAY``."""
    figures = dict.fromkeys((figure.value for figure in WallScreenFigure), 0)
    for plan in plans:
        if plan.reported_at < CUTOFF:
            figures[WallScreenFigure.RECEIVED.value] += 1
            figures[figure_of(plan.fate).value] += 1
    return figures


def case_uuid(seed: int, index: int) -> uuid.UUID:
    """The fixed ``client_uuid`` of the history's case number ``index``."""
    return uuid.uuid5(NAMESPACE, f"demo-history:{seed}:{index}")
