"""The demo history topped up to now (``make run`` on an existing database)."""

from __future__ import annotations

from datetime import datetime, timedelta

from evaluation import demo as evaluation_demo
from evaluation.models import Publication
from incidents import demo
from incidents.choices import CaseSource, CaseStatus
from incidents.demo.plan import TZ, CasePlan, Fate
from incidents.demo.topup import day_plans, top_up
from incidents.models import Case, CaseEvent
from incidents.sla import overdue_q

SEEDED = datetime(2026, 11, 27, 10, 30, tzinfo=TZ)  # the first `make run`, a Friday
LATER = SEEDED + timedelta(days=4)  # the demo started again the next Tuesday


def first_history() -> list[CasePlan]:
    """A small history up to ``SEEDED``: a few cases in October, the rest in the last days."""
    times = [datetime(2026, 10, day, 9, 30, tzinfo=TZ) for day in (12, 14, 20)]
    times += [SEEDED - timedelta(hours=hours) for hours in (75, 52, 30, 6, 3, 1)]
    sources = [CaseSource.GRID_WORKER, CaseSource.HOTLINE, CaseSource.RESIDENT]
    return [CasePlan(i, Fate.LIVE, when, sources[i % 3], rng_seed=f"topup-test:{i}") for i, when in enumerate(times)]


def everything() -> tuple[int, int, list[tuple[int, str]]]:
    return Case.objects.count(), CaseEvent.objects.count(), list(Case.objects.values_list("pk", "status"))


def published() -> list[str]:
    return sorted(Publication.objects.values_list("period", flat=True).distinct())


def test_a_later_run_tops_the_history_up_to_now(staffed):
    lines: list[str] = []
    demo.run_history(SEEDED, lines.append, plans=first_history(), check=False)
    evaluation_demo.seed("", lines.append, now=SEEDED)
    assert published() == ["2026-10"]
    before = Case.objects.count()
    open_before = set(Case.objects.filter(status__in=CaseStatus.ACTIVE).values_list("pk", flat=True))
    assert open_before

    demo.seed("", lines.append, now=LATER)
    evaluation_demo.seed("", lines.append, now=LATER)
    assert "topped up" in " ".join(lines)

    # Every day since has its reports, each through the domain functions (its timeline).
    new = Case.objects.filter(created_at__gt=SEEDED)
    assert new.count() > 20
    days = {case.created_at.astimezone(TZ).date() for case in new}
    assert days == {(SEEDED + timedelta(days=n)).date() for n in range(5)}
    assert not Case.objects.filter(events__isnull=True).exists()
    for case in new[:40]:
        rows = list(case.events.order_by("created_at", "id"))
        assert rows[0].action == "report" and rows[-1].to_status == case.status
        assert all(a.to_status == b.from_status for a, b in zip(rows, rows[1:], strict=False))
        assert rows[-1].created_at <= LATER
    # The cases open at the first run moved on; today has work, and some cases are overdue.
    moved = Case.objects.filter(pk__in=open_before, events__created_at__gt=SEEDED).distinct().count()
    assert moved == len(open_before)
    assert Case.objects.filter(status=CaseStatus.CLOSED, closed_at__gt=SEEDED).exists()
    assert Case.objects.filter(created_at__date=LATER.date()).exists()
    assert Case.objects.filter(status__in=CaseStatus.ACTIVE, created_at__gt=LATER - timedelta(days=2)).exists()
    assert Case.objects.filter(overdue_q(LATER)).exists()
    # The twelve published months moved on to November.
    assert published() == ["2026-10", "2026-11"]
    assert Case.objects.count() > before

    # Running again to the same moment changes nothing.
    state = everything()
    assert top_up(LATER, lines.append) == 0
    demo.seed("", lines.append, now=LATER)
    assert everything() == state


def test_a_days_reports_are_the_same_whenever_it_is_topped_up():
    day = SEEDED.date()
    first = [(p.index, p.reported_at, p.source) for p in day_plans(day, SEEDED.replace(hour=23, minute=59))]
    again = [(p.index, p.reported_at, p.source) for p in day_plans(day, SEEDED.replace(hour=23, minute=59))]
    assert first == again and len(first) > 5
    until_now = day_plans(day, SEEDED)
    assert until_now == [p for p in day_plans(day, SEEDED) if p.reported_at < SEEDED]
    assert all(p.reported_at < SEEDED for p in until_now)
    assert len({p.index for p in first}) == len(first)
