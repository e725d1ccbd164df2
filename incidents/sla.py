"""Where a case stands against its deadline: the SLA clock's pure predicates.

Pure: reads the case's stored fields and builds ``Q`` objects, imports no models and no
calendar, so the models (``Case.is_overdue``, ``CaseQuerySet.overdue``), the pages and
the wall screen can all use it without an import cycle. How the instants are computed
and moved is ``incidents.services.sla``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from incidents.choices import CaseStatus, SlaLevel

# Overdue is strictly after the deadline: its step falls due one tick (PostgreSQL keeps
# microseconds) after it.
TICK = timedelta(microseconds=1)
RUNNING = tuple(CaseStatus.CLOCK_RUNNING)
# The steps the sweep may take in a round, in order (``SLA_STEPS`` says which it does take).
STEPS = (SlaLevel.WARNING, SlaLevel.OVERDUE, SlaLevel.ESCALATED)


def clock_runs(case) -> bool:
    return case.status in CaseStatus.CLOCK_RUNNING and case.deadline is not None and case.held_since is None


def is_overdue(case, now: datetime) -> bool:
    """Past the deadline with the clock running (``overdue_q`` for querysets)."""
    return clock_runs(case) and case.deadline < now


def level_at(case, now: datetime) -> SlaLevel | None:
    """The level shown at ``now``: normal, warning (yellow) or overdue (red); ``None`` when no
    clock runs (not with a department, or on hold). Escalation is a step of the sweep
    (``Case.sla_level``), shown as overdue."""
    if not clock_runs(case):
        return None
    if case.deadline < now:
        return SlaLevel.OVERDUE
    if case.sla_warning_at is not None and case.sla_warning_at <= now:
        return SlaLevel.WARNING
    return SlaLevel.NORMAL


def step_due_at(case, step: SlaLevel) -> datetime | None:
    """The instant the sweep takes ``step`` in the case's current round."""
    if step == SlaLevel.WARNING:
        return case.sla_warning_at
    if step == SlaLevel.OVERDUE:
        return case.deadline + TICK if case.deadline is not None else None
    return case.sla_escalate_at


def overdue_q(now: datetime) -> Q:
    """Cases overdue at ``now`` (the partial index on deadlines of running clocks serves it)."""
    return Q(status__in=RUNNING, deadline__lt=now, held_since__isnull=True)


def warning_q(now: datetime) -> Q:
    """Cases in their warning time (yellow) at ``now``."""
    return Q(status__in=RUNNING, held_since__isnull=True, sla_warning_at__lte=now, deadline__gte=now)


def held_q() -> Q:
    """Cases a department holds that the centre put on hold (挂账): not overdue, counted apart."""
    return Q(status__in=RUNNING, held_since__isnull=False)
