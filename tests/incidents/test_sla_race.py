"""The sweep against real concurrent transactions, each thread on its own connection:
two sweeps racing, a case resolved while a sweep runs, a case locked by a step in flight."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction

from incidents import services
from incidents.models import Case, CaseEvent, SlaEscalation
from incidents.services import sweep as sweep_module
from incidents.services.sweep import sweep
from tests.city import TZ
from tests.incidents.test_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)

FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
LATE = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)  # every case below is overdue and escalated by then


def dispatched_cases(city, count: int) -> list[Case]:
    return [
        services.dispatch_case(city.dispatcher, city.report(), department=city.lead, now=FRIDAY_16)
        for _ in range(count)
    ]


def both_read_before_either_claims(monkeypatch) -> None:
    """Make two sweeps overlap for sure: each waits, after reading its first batch, for the other."""
    barrier, seen = threading.Barrier(2), threading.local()
    plan = sweep_module._plan

    def wait_then_plan(case, now, steps=None):
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait(timeout=10)
        return plan(case, now, steps)

    monkeypatch.setattr(sweep_module, "_plan", wait_then_plan)


def test_two_sweeps_racing_take_each_step_exactly_once(city, monkeypatch):
    cases = dispatched_cases(city, 12)
    both_read_before_either_claims(monkeypatch)
    first, second = at_once(lambda: sweep(now=LATE), lambda: sweep(now=LATE))
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    # Both read all twelve; the compare-and-set let one of them have each case.
    assert first.due == second.due == 12
    assert first.claimed + second.claimed == 12 and first.lost + second.lost == 12
    ids = [case.pk for case in cases]
    assert SlaEscalation.objects.filter(case_id__in=ids, step="overdue").count() == 12
    assert SlaEscalation.objects.filter(case_id__in=ids, step="escalated").count() == 12
    assert CaseEvent.objects.filter(case_id__in=ids, action="sla_overdue").count() == 12
    assert CaseEvent.objects.filter(case_id__in=ids, action="sla_escalated").count() == 12
    assert set(Case.objects.filter(pk__in=ids).values_list("sla_level", "sla_next_check_at")) == {("escalated", None)}


def test_without_the_claim_the_unique_step_still_holds(city, monkeypatch):
    # The second guard: were the compare-and-set gone, (case, step, round) is unique.
    cases = dispatched_cases(city, 4)
    monkeypatch.setattr(
        sweep_module,
        "CLAIM_SQL",
        sweep_module.CLAIM_SQL.replace(
            "WHERE c.sla_next_check_at = due.old_check AND c.sla_round = due.old_round", ""
        ).replace("FOR UPDATE OF c SKIP LOCKED", ""),
    )
    both_read_before_either_claims(monkeypatch)
    first, second = at_once(lambda: sweep(now=LATE), lambda: sweep(now=LATE))
    assert first.claimed == second.claimed == 4, (first, second)
    assert first.steps["overdue"] + second.steps["overdue"] == 4
    assert SlaEscalation.objects.filter(case__in=cases).count() == 8
    assert CaseEvent.objects.filter(case__in=cases, action="sla_overdue").count() == 4


def test_many_sweeps_at_once_still_take_each_step_once(city):
    cases = dispatched_cases(city, 6)
    results = at_once(*[lambda: sweep(now=LATE, batch_size=2)] * 4)
    assert not any(isinstance(result, Exception) for result in results), results
    assert sum(result.steps["overdue"] for result in results) == 6
    assert SlaEscalation.objects.filter(case__in=cases).count() == 12


def test_a_case_resolved_while_the_sweep_runs_is_left_alone(city, monkeypatch):
    target, other = dispatched_cases(city, 2)
    services.start_case(city.officer_lead, target, now=FRIDAY_16)
    plan = sweep_module._plan

    def resolve_meanwhile(case, now, steps=None):
        # The sweep has read the due cases; the department resolves one on another connection.
        if case.id == target.pk:
            worker = threading.Thread(target=resolve)
            worker.start()
            worker.join()
        return plan(case, now, steps)

    def resolve():
        try:
            services.resolve_case(city.officer_lead, target.pk, note="已清运", now=LATE - timedelta(hours=1))
        finally:
            connection.close()

    monkeypatch.setattr(sweep_module, "_plan", resolve_meanwhile)
    result = sweep(now=LATE)
    assert result.lost == 1 and result.claimed == 1  # "0 rows": the resolution came first
    assert not SlaEscalation.objects.filter(case=target).exists()
    assert not CaseEvent.objects.filter(case=target, action__startswith="sla_").exists()
    assert SlaEscalation.objects.filter(case=other).count() == 2
    target.refresh_from_db()
    assert target.status == "resolved" and target.sla_next_check_at is None


def test_a_case_locked_by_a_step_in_flight_is_skipped_then_taken_next_time(city):
    target, other = dispatched_cases(city, 2)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=target.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        result = sweep(now=LATE)  # does not wait for the lock
    finally:
        release.set()
        holder.join()
    assert result.claimed == 1 and result.lost == 1
    assert not SlaEscalation.objects.filter(case=target).exists()
    assert sweep(now=LATE + timedelta(minutes=1)).claimed == 1
    assert SlaEscalation.objects.filter(case=target).count() == 2
    assert SlaEscalation.objects.filter(case=other).count() == 2
