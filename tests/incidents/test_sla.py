"""The SLA clock: its instants on the working-time calendar, and the sweep's steps at exact
instants (``now=`` passed in: the clock is frozen where each test says)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from gridcenter.env import parse_sla_steps
from incidents import services
from incidents.choices import CaseAction, CaseStatus, SlaLevel
from incidents.models import Case, CaseEvent, SlaEscalation, SubCategory
from incidents.services import sla
from incidents.services.events import case_events_recorded
from incidents.services.sweep import sweep
from tests.city import TZ

TICK = timedelta(microseconds=1)
# 0101 (暴露垃圾) has a limit of 4 working hours; office hours 08:00-12:00 and 14:30-17:30.
FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
MONDAY = datetime(2026, 11, 30, tzinfo=TZ)


def dispatched(city, now: datetime, **kwargs) -> Case:
    case = city.report(now=now - timedelta(minutes=5))
    return services.dispatch_case(city.dispatcher, case, department=city.lead, now=now, **kwargs)


def steps_of(case: Case) -> list[tuple[str, int]]:
    return list(SlaEscalation.objects.filter(case=case).order_by("id").values_list("step", "round"))


def sla_events(case: Case) -> list[str]:
    actions = [CaseAction.SLA_WARNING, CaseAction.SLA_OVERDUE, CaseAction.SLA_ESCALATED]
    return list(case.events.filter(action__in=actions).order_by("id").values_list("action", flat=True))


# --- the instants ------------------------------------------------------------------------------------


def test_a_dispatch_starts_round_one_with_its_instants_across_a_weekend(city):
    case = dispatched(city, FRIDAY_16)
    # 1.5 h on Friday, 2.5 h on Monday morning.
    assert case.deadline == MONDAY.replace(hour=10, minute=30)
    assert case.sla_round == 1 and case.sla_level == SlaLevel.NORMAL and case.sla_started_at == FRIDAY_16
    # 80 % of 4 h = 3 h 12 min: 1.5 h on Friday, 1 h 42 min on Monday.
    assert case.sla_warning_at == MONDAY.replace(hour=9, minute=42)
    # Overdue by a further 50 % (2 h of working time): 10:30-12:00, then 14:30-15:00.
    assert case.sla_escalate_at == MONDAY.replace(hour=15)
    assert case.sla_next_check_at == case.sla_warning_at


def test_the_instants_skip_the_national_day_holiday(city):
    case = dispatched(city, datetime(2026, 9, 30, 16, 0, tzinfo=TZ))  # 1 to 7 October are holidays
    assert case.deadline == datetime(2026, 10, 8, 10, 30, tzinfo=TZ)
    assert case.sla_warning_at == datetime(2026, 10, 8, 9, 42, tzinfo=TZ)
    assert case.sla_escalate_at == datetime(2026, 10, 8, 15, 0, tzinfo=TZ)


def test_a_limit_in_natural_hours_runs_round_the_clock(city):
    night = datetime(2026, 11, 27, 22, 0, tzinfo=TZ)
    case = dispatched(city, night, subcategory=SubCategory.objects.get(code="1201"))  # 4 natural hours
    assert case.deadline == night + timedelta(hours=4)
    assert case.sla_warning_at == night + timedelta(hours=3, minutes=12)
    assert case.sla_escalate_at == night + timedelta(hours=6)


def test_levels_at_exact_instants(city):
    case = dispatched(city, FRIDAY_16)
    assert sla.level_at(case, case.sla_warning_at - TICK) == SlaLevel.NORMAL
    assert sla.level_at(case, case.sla_warning_at) == SlaLevel.WARNING
    assert sla.level_at(case, case.deadline) == SlaLevel.WARNING  # overdue is strictly after the deadline
    assert sla.level_at(case, case.deadline + TICK) == SlaLevel.OVERDUE
    assert not case.is_overdue(case.deadline) and case.is_overdue(case.deadline + TICK)
    assert sla.level_at(city.report(), FRIDAY_16) is None


# --- the sweep at exact instants --------------------------------------------------------------------


def test_each_step_is_taken_at_its_exact_instant_and_once(city):
    case = dispatched(city, FRIDAY_16)
    # Saturday and Sunday nights: nothing is due before Monday 09:42.
    assert sweep(now=case.sla_warning_at - TICK).claimed == 0
    result = sweep(now=case.sla_warning_at)
    assert result.claimed == 1 and result.steps == {"warning": 1}
    case.refresh_from_db()
    assert case.sla_level == SlaLevel.WARNING and case.sla_next_check_at == case.deadline + TICK
    assert sweep(now=case.sla_warning_at).claimed == 0  # again at the same instant: nothing
    assert sweep(now=case.deadline).claimed == 0
    assert sweep(now=case.deadline + TICK).steps == {"overdue": 1}
    assert sweep(now=case.sla_escalate_at - TICK).claimed == 0
    assert sweep(now=case.sla_escalate_at).steps == {"escalated": 1}
    case.refresh_from_db()
    assert case.sla_level == SlaLevel.ESCALATED and case.sla_next_check_at is None
    assert steps_of(case) == [("warning", 1), ("overdue", 1), ("escalated", 1)]
    assert sla_events(case) == ["sla_warning", "sla_overdue", "sla_escalated"]
    row = case.events.get(action=CaseAction.SLA_OVERDUE)
    assert row.actor is None and row.department == city.lead and row.created_at == case.deadline + TICK
    assert row.from_status == row.to_status == CaseStatus.DISPATCHED
    assert row.data == {"round": 1, "deadline": case.deadline.isoformat(), "level": "overdue"}


def test_a_late_sweep_takes_the_steps_due_in_one_go_without_a_stale_warning(city):
    case = dispatched(city, FRIDAY_16)
    result = sweep(now=case.sla_escalate_at + timedelta(days=3))
    assert result.steps == {"overdue": 1, "escalated": 1}
    assert sla_events(case) == ["sla_overdue", "sla_escalated"]


def test_resolving_stops_the_clock(city):
    case = dispatched(city, FRIDAY_16)
    services.start_case(city.officer_lead, case, now=FRIDAY_16)
    case = services.resolve_case(city.officer_lead, case, note="已清运", now=FRIDAY_16 + timedelta(hours=1))
    assert case.sla_next_check_at is None
    assert sweep(now=case.sla_escalate_at + timedelta(days=1)).due == 0
    assert steps_of(case) == []


def test_a_rework_runs_against_the_original_deadline_and_a_late_fix_is_late(city):
    case = dispatched(city, FRIDAY_16)
    services.start_case(city.officer_lead, case, now=FRIDAY_16)
    sweep(now=case.sla_warning_at)  # warned on Monday 09:42
    services.resolve_case(city.officer_lead, case, note="已清运", now=MONDAY.replace(hour=10))
    # Reviewed after the deadline and sent back: overdue at once (the warning is not repeated).
    reopened = services.reopen_case(city.dispatcher, case, reason="未清理干净", now=MONDAY.replace(hour=11))
    assert reopened.deadline == case.deadline and reopened.sla_round == 1
    assert reopened.sla_next_check_at == case.deadline + TICK
    assert sweep(now=MONDAY.replace(hour=11, minute=1)).steps == {"overdue": 1}
    assert steps_of(case) == [("warning", 1), ("overdue", 1)]
    late = services.resolve_case(city.officer_lead, case, note="已彻底清理", now=MONDAY.replace(hour=11, minute=30))
    assert late.resolved_at > late.deadline  # the figures count it late


def test_a_return_stops_the_clock_and_the_redispatch_starts_a_new_round(city):
    case = dispatched(city, FRIDAY_16)
    sweep(now=case.sla_warning_at)
    returned = services.return_case(city.officer_lead, case, reason="不属于本部门", now=MONDAY.replace(hour=10))
    assert returned.sla_next_check_at is None
    assert sweep(now=MONDAY.replace(hour=16)).due == 0
    again = services.dispatch_case(city.dispatcher, case, department=city.lead, now=MONDAY.replace(hour=16))
    assert again.sla_round == 2 and again.sla_level == SlaLevel.NORMAL
    assert again.sla_started_at == MONDAY.replace(hour=16)
    sweep(now=again.sla_warning_at)
    assert steps_of(case) == [("warning", 1), ("warning", 2)]


def test_nothing_due_costs_one_indexed_query(city, django_assert_num_queries):
    for _ in range(3):
        dispatched(city, FRIDAY_16)
    with django_assert_num_queries(1):
        result = sweep(now=FRIDAY_16 + timedelta(minutes=30))
    assert result.due == 0
    due = Case.objects.filter(sla_next_check_at__lte=FRIDAY_16).order_by("sla_next_check_at", "id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = due.explain()
    assert "incidents_case_sla_check" in plan


def test_the_sweep_pages_through_batches(city):
    cases = [dispatched(city, FRIDAY_16 + timedelta(minutes=i)) for i in range(5)]
    result = sweep(now=MONDAY.replace(hour=11), batch_size=2)
    assert result.due == 5 and result.claimed == 5 and result.steps == {"overdue": 5}
    assert all(steps_of(case) == [("overdue", 1)] for case in cases)


def test_a_case_that_cannot_be_computed_is_logged_and_skipped(city, caplog):
    bad, good = dispatched(city, FRIDAY_16), dispatched(city, FRIDAY_16)
    Case.objects.filter(pk=bad.pk).update(sla_level="bogus")
    with caplog.at_level(logging.ERROR, logger="incidents.services.sweep"):
        result = sweep(now=MONDAY.replace(hour=11))
    assert result.failed == 1 and result.claimed == 1
    assert steps_of(good) == [("overdue", 1)] and steps_of(bad) == []
    assert f"case {bad.pk} skipped" in caplog.text


def test_a_failing_batch_is_retried_case_by_case(city, caplog):
    bad, good = dispatched(city, FRIDAY_16), dispatched(city, FRIDAY_16)

    def explode(sender, events, **kwargs):
        if any(case.pk == bad.pk for case, _event in events):
            raise RuntimeError("a listener failed")

    case_events_recorded.connect(explode, dispatch_uid="test-explode")
    try:
        with caplog.at_level(logging.ERROR, logger="incidents.services.sweep"):
            result = sweep(now=MONDAY.replace(hour=11))
    finally:
        case_events_recorded.disconnect(dispatch_uid="test-explode")
    assert result.failed == 1 and result.claimed == 1
    assert steps_of(good) == [("overdue", 1)] and steps_of(bad) == []  # rolled back: tried again next minute
    bad.refresh_from_db()
    assert bad.sla_level == SlaLevel.NORMAL and bad.sla_next_check_at is not None


def test_a_step_left_out_of_the_settings_is_not_taken(city, settings):
    settings.SLA_STEPS = {"overdue": ("head",)}
    case = dispatched(city, FRIDAY_16)
    assert case.sla_next_check_at == case.deadline + TICK
    assert sweep(now=case.sla_escalate_at + timedelta(hours=1)).steps == {"overdue": 1}
    case.refresh_from_db()
    assert case.sla_next_check_at is None


def test_the_shares_are_settings(city, settings):
    settings.SLA_WARNING_SHARE = 0.5
    settings.SLA_ESCALATION_SHARE = 1.0
    case = dispatched(city, FRIDAY_16)
    assert case.sla_warning_at == MONDAY.replace(hour=8, minute=30)  # 2 h: 1.5 h Friday, 0.5 h Monday
    assert case.sla_escalate_at == MONDAY.replace(hour=17)  # 4 h after 10:30: 1.5 h, then 14:30 + 2.5 h


def test_the_task_runs_the_sweep(city):
    from incidents.tasks import sla_sweep_task

    dispatched(city, datetime(2020, 3, 2, 9, 0, tzinfo=TZ))  # long overdue by now
    result = sla_sweep_task.apply().get()
    assert result["steps"] == {"overdue": 1, "escalated": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "warning:officer;overdue:head;escalated:leaders",
            {"warning": ("officer",), "overdue": ("head",), "escalated": ("leaders",)},
        ),
        ("overdue:head+officer; escalated:", {"overdue": ("head", "officer"), "escalated": ()}),
        ("", {}),
    ],
)
def test_sla_steps_setting_is_parsed(value, expected):
    assert parse_sla_steps("SLA_STEPS", value) == expected


@pytest.mark.parametrize("value", ["warning", "later:head", "warning:boss", "overdue:head;overdue:officer"])
def test_a_malformed_sla_steps_setting_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured):
        parse_sla_steps("SLA_STEPS", value)


def test_every_new_action_has_a_rule_and_no_person_takes_the_clocks_steps(city):
    case = dispatched(city, FRIDAY_16)
    for user in (city.dispatcher, city.officer_lead, city.leader, city.admin):
        actions = services.available_actions(user, case)
        assert not {CaseAction.SLA_WARNING, CaseAction.SLA_OVERDUE, CaseAction.SLA_ESCALATED} & set(actions)
    assert CaseEvent.objects.filter(case=case, action__startswith="sla_").count() == 0
