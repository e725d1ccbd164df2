"""The demo case history: the plan (pure) and its run through the domain functions."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from accounts.management.commands.seed_demo import SEEDERS
from gridcenter.realtime import muted, publish
from grids.models import GridWorker
from incidents import demo
from incidents.choices import CaseAction, CaseSource, CaseStatus, WallScreenFigure
from incidents.demo.plan import (
    CUTOFF,
    CUTOFF_DAY,
    FATE_COUNTS,
    FATE_WINDOWS,
    HISTORY_START,
    LIVE_RATES,
    SEED_CITY_FIGURES,
    TZ,
    CasePlan,
    Fate,
    figures_at_cutoff,
    plan_history,
)
from incidents.models import Case, CaseEvent
from incidents.services import summary
from incidents.services.stage_limits import late_steps

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=TZ)
EXPECTED = {figure.value: count for figure, count in SEED_CITY_FIGURES.items()}


@pytest.fixture(scope="module")
def plans() -> list[CasePlan]:
    return plan_history(now=NOW)


# --- the plan ----------------------------------------------------------------------------------------


def test_the_seed_citys_figures():
    assert EXPECTED == {"received": 1544, "closed": 1133, "pending_review": 339, "in_progress": 48, "other": 24}
    assert sum(FATE_COUNTS.values()) == 1544


def test_the_plan_promises_exactly_the_seed_citys_figures(plans):
    assert figures_at_cutoff(plans) == EXPECTED
    assert Counter(plan.fate for plan in plans if plan.reported_at < CUTOFF) == FATE_COUNTS


def test_the_plan_is_deterministic(plans):
    again = plan_history(now=NOW)
    assert [(p.fate, p.reported_at, p.source, p.duplicate_of, p.overdue) for p in again] == [
        (p.fate, p.reported_at, p.source, p.duplicate_of, p.overdue) for p in plans
    ]
    other = plan_history(seed=7, now=NOW)
    assert [p.reported_at for p in other] != [p.reported_at for p in plans]
    assert figures_at_cutoff(other) == EXPECTED  # any seed keeps the figures


def test_the_record_spans_april_2013_to_may_2015_and_the_rest_runs_to_now(plans):
    record = [p for p in plans if p.fate != Fate.LIVE]
    assert min(p.reported_at for p in record) >= HISTORY_START
    assert max(p.reported_at for p in record) < CUTOFF
    months = {(p.reported_at.year, p.reported_at.month) for p in record}
    assert len(months) == 26  # every month from April 2013 to May 2015
    live = [p for p in plans if p.fate == Fate.LIVE]
    assert all(CUTOFF <= p.reported_at < NOW for p in live)
    assert [p.reported_at for p in plans] == sorted(p.reported_at for p in plans)
    assert [p.index for p in plans] == list(range(len(plans)))


def test_each_fate_is_reported_inside_its_window(plans):
    for plan in plans:
        if plan.fate in FATE_WINDOWS:
            start, end = FATE_WINDOWS[plan.fate]
            assert start <= plan.reported_at < end, plan


def test_recent_weeks_are_busy_and_the_years_between_sparse(plans):
    live = [p for p in plans if p.fate == Fate.LIVE]
    last_two_weeks = sum(1 for p in live if NOW - p.reported_at < timedelta(days=14))
    rate = dict((days, rate) for days, rate in LIVE_RATES)[14]
    assert 0.7 * 14 * rate < last_two_weeks < 1.3 * 14 * rate
    year_2020 = sum(1 for p in live if p.reported_at.year == 2020)
    assert 0 < year_2020 < 30


def test_sources_turns_and_duplicates(plans):
    assert {p.source for p in plans} == set(CaseSource)
    assert all(p.source == CaseSource.GRID_WORKER for p in plans if p.self_resolve)
    assert all(p.fate in (Fate.CLOSED, Fate.RESOLVED, Fate.LIVE) for p in plans if p.self_resolve)
    assert all(p.fate in (Fate.CLOSED, Fate.LIVE, Fate.RETURNED) for p in plans if p.returned)
    assert all(p.returned for p in plans if p.fate == Fate.RETURNED)
    assert all(p.accept_first for p in plans if p.fate == Fate.REGISTERED)
    duplicates = [p for p in plans if p.duplicate_of is not None]
    assert sum(1 for p in duplicates if p.fate == Fate.MERGED) == FATE_COUNTS[Fate.MERGED]
    for duplicate in duplicates:
        original = plans[duplicate.duplicate_of]
        assert original.long_limit and original.reported_at < duplicate.reported_at
        assert original.fate == (Fate.CLOSED if duplicate.fate == Fate.MERGED else Fate.LIVE)
    assert any(p.overdue for p in plans) and any(p.reworked for p in plans) and any(p.late_accept for p in plans)
    # Photos only for recent cases and for what grid workers solve on the spot.
    assert all(p.self_resolve or NOW - p.reported_at < timedelta(days=45) for p in plans if p.photos)


def test_fates_map_to_the_wall_screen_figures():
    assert Fate.MERGED.status == CaseStatus.REJECTED
    assert Fate.RETURNED.status.figure == WallScreenFigure.IN_PROGRESS
    assert Fate.REGISTERED.status.figure == WallScreenFigure.OTHER


def test_the_history_seeder_runs_after_the_city():
    assert SEEDERS.index("incidents.demo.seed") > max(
        SEEDERS.index(name) for name in ("accounts.demo.seed", "grids.demo.seed", "departments.demo.seed")
    )


# --- the run -----------------------------------------------------------------------------------------


def one_of_each(count_closed: int = 2) -> list[CasePlan]:
    """One case of every fate (a few closed ones, one of them with a merged duplicate)."""
    plans: list[CasePlan] = []
    for fate, (start, end) in FATE_WINDOWS.items():
        for n in range(count_closed if fate == Fate.CLOSED else 1):
            reported = start + (end - start) * (0.5 + 0.1 * n)
            if fate == Fate.CLOSED:
                reported = datetime(2014, 6, 3 + n, 9, 30, tzinfo=TZ)  # weekdays, office hours
            plans.append(CasePlan(len(plans), fate, reported, CaseSource.GRID_WORKER, rng_seed=f"t:{len(plans)}"))
    plans[0].long_limit = True
    plans[0].photos = True
    plans.append(
        CasePlan(
            len(plans),
            Fate.MERGED,
            plans[0].reported_at + timedelta(hours=1),
            CaseSource.RESIDENT,
            duplicate_of=0,
            rng_seed="t:dup",
        )
    )
    plans[1].self_resolve = plans[1].photos = True
    plans.sort(key=lambda plan: plan.reported_at)
    # Keep the duplicate's pointer right after sorting.
    original = next(p for p in plans if p.long_limit)
    for i, plan in enumerate(plans):
        plan.index = i
    next(p for p in plans if p.fate == Fate.MERGED).duplicate_of = original.index
    return plans


def run(plans, now):
    runner = demo.HistoryRunner(plans, cast=demo.load_cast(), places=demo.load_places(), subs=demo.load_subs(), now=now)
    runner.run()
    return runner


def test_only_active_grid_workers_report_in_the_history(staffed):
    places = {place.grid_id: place for place in demo.load_places()}
    grid_a = places[staffed.grid_a.pk]
    retired = staffed.workers["retired"]
    # The test city's retired worker still has grid A (an inactive account keeps its grids).
    assert GridWorker.objects.filter(user=retired, grids=staffed.grid_a).exists() and not retired.is_active
    assert retired not in grid_a.workers
    assert {user.username for user in grid_a.workers} == {staffed.workers[key].username for key in ("a", "ab")}
    assert all(user.is_active for place in places.values() for user in place.workers)


def status_of(runner, fate: Fate) -> set[str]:
    ids = [state.case_id for state in runner.states.values() if state.plan.fate == fate]
    return set(Case.objects.filter(pk__in=ids).values_list("status", flat=True))


def test_each_fate_is_in_its_state_at_the_cutoff(staffed):
    plans = one_of_each()
    runner = run(plans, now=CUTOFF + timedelta(hours=12))
    for fate in FATE_WINDOWS:
        assert status_of(runner, fate) == {fate.status}, fate
    assert status_of(runner, Fate.MERGED) == {CaseStatus.REJECTED}
    figures = summary(staffed.dispatcher, CUTOFF_DAY)
    assert figures == figures_at_cutoff(plans)
    merged = Case.objects.get(pk=next(s.case_id for s in runner.states.values() if s.plan.fate == Fate.MERGED))
    assert merged.duplicate_of is not None and merged.events.filter(action=CaseAction.MERGE).exists()
    # Everything went through the domain functions: every status change has its timeline row.
    for case in Case.objects.all():
        rows = list(case.events.order_by("created_at", "id"))
        assert rows[0].action == CaseAction.REPORT and rows[-1].to_status == case.status
        assert all(a.to_status == b.from_status for a, b in zip(rows, rows[1:], strict=False))


def test_after_the_holiday_the_record_is_worked_off(staffed):
    plans = one_of_each()
    run(plans, now=datetime(2015, 7, 1, tzinfo=TZ))
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert set(statuses) == {CaseStatus.CLOSED, CaseStatus.REJECTED}
    assert summary(staffed.dispatcher, CUTOFF_DAY) == figures_at_cutoff(plans)
    # The review waiting since before the holiday was late, and the timeline says so.
    resolved = next(p for p in plans if p.fate == Fate.RESOLVED)
    approve = CaseEvent.objects.get(case__client_uuid=demo.case_uuid(demo.DEMO_SEED, resolved.index), action="approve")
    assert approve.data["late"] is True and approve in late_steps()


def test_steps_after_now_have_not_happened(staffed):
    plans = one_of_each()
    runner = run(plans, now=plans[0].reported_at + timedelta(minutes=1))
    assert Case.objects.count() == 1 and runner.steps == 1
    assert Case.objects.get().status == CaseStatus.REPORTED


def test_photos_are_attached_to_recent_and_solved_on_the_spot_cases(staffed):
    plans = one_of_each()
    run(plans, now=datetime(2015, 7, 1, tzinfo=TZ))
    photographed = Case.objects.filter(attachments__isnull=False).distinct()
    assert photographed.count() == 2
    assert all(case.attachments.exists() for case in photographed)


def test_the_seeder_is_idempotent(staffed):
    plans = one_of_each()
    lines = []
    assert demo.run_history(CUTOFF + timedelta(hours=1), lines.append, plans=plans, check=False) is not None
    count = Case.objects.count()
    assert demo.run_history(CUTOFF + timedelta(hours=1), lines.append, plans=plans, check=False) is None
    assert Case.objects.count() == count
    assert "already" in lines[-1] or "there already" in lines[-1]


def test_the_seeder_checks_its_figures(staffed):
    # Stopped before the last days of April 2015, the run cannot keep the plan's promise.
    with pytest.raises(RuntimeError, match="seeded figures"):
        demo.run_history(datetime(2015, 4, 20, tzinfo=TZ), print, plans=one_of_each())


def test_without_a_city_nothing_is_seeded(db):
    lines = []
    assert demo.run_history(NOW, lines.append) is None
    assert not Case.objects.exists() and "no dispatcher" in lines[-1]


def test_muted_publishing_queues_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, muted():
        publish(["wallscreen"], "case.test", {})
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        publish(["wallscreen"], "case.test", {})
    assert len(callbacks) == 1


@pytest.mark.slow
def test_the_full_record_gives_the_seed_citys_figures(staffed, api_as):
    """The whole 1,544-case record on the small test city, through the API (under a minute)."""
    until = CUTOFF + timedelta(hours=12)  # what comes after the holiday is tested above
    demo.run_history(until, print, plans=plan_history(now=until, live=False))
    response = api_as(staffed.dispatcher).get("/api/v1/stats/summary/", {"at": "2015-05-01"})
    assert response.status_code == 200
    assert response.json() == EXPECTED
    assert api_as(staffed.leader).get("/api/v1/stats/summary/", {"at": "2015-05-01"}).json() == EXPECTED
    # Every sub-item the test city can staff appears; every case has its timeline.
    assert Case.objects.count() == 1544
    assert not Case.objects.filter(events__isnull=True).exists()
    assert 0 < late_steps().filter(data__stage="accept").count() < 0.1 * 1544  # a few late acceptances
