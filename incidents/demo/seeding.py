"""The seeder: play the history once and check the seed city's figures; later, top it up to now."""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from incidents import services
from incidents.demo.cast import load_cast, load_places, load_subs
from incidents.demo.plan import CUTOFF_DAY, DEMO_SEED, CasePlan, case_uuid, figures_at_cutoff, plan_history
from incidents.demo.runner import HistoryRunner
from incidents.demo.topup import top_up
from incidents.models import Case

Log = Callable[[str], object]


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


def seed(password: str, log: Log, *, now: datetime | None = None) -> None:
    """The seeder of ``manage.py seed_demo`` (``SEEDERS``): the history, or on a database that
    has it, the history topped up to now (``topup``)."""
    now = now or timezone.now()
    if already_seeded():
        top_up(now, log)
    else:
        run_history(now, log)
