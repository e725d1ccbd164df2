"""The SLA clock (责任到人，限时办结): the one module that decides where a case stands.

Definitions (the README's "SLA clock" section repeats them):

* The **clock runs** while the lead department holds the case (``CaseStatus.CLOCK_RUNNING``:
  dispatched, in progress) and the case is not on hold. Resolving stops it; a return stops
  it, and the redispatch starts a new one (a new **round**); a rework after a failed review
  (reopen) runs again against the same, original deadline, so a late fix counts as late.
* Time is counted as the case's time limit is: round the clock for a limit in natural
  hours, working time (``worktime.calendar``) for working hours or days. The time
  **allowed** is that time from the start of the clock to the deadline.
* The instants of a round: **warning** once ``SLA_WARNING_SHARE`` of the time allowed has
  passed (yellow), **overdue** strictly after the deadline (red), **escalated** once the
  case is overdue by a further ``SLA_ESCALATION_SHARE`` of the time allowed (督办).
* ``level_at(case, now)`` is the level shown now (colours, lists, counts), from the stored
  instants; ``Case.sla_level`` is the last step the sweep (``incidents.services.sweep``)
  took in this round, and ``Case.sla_next_check_at`` the instant of the next step still to
  take, or NULL when the clock does not run (the sweep's partial index holds only these).
* A granted extension moves the deadline and starts a new round (the warning can come
  again for the new deadline). On hold (挂账) stops the clock; on resume the instants
  still ahead when the case was parked move on by the time it spent parked.

Domain functions call ``start_clock`` (dispatch), ``extended`` / ``paused`` / ``resumed``
(incidents.services.extensions) and, last, ``sync`` on the locked case after every step.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from incidents.choices import CaseAction, CaseStatus, SlaLevel, SlaRequestStatus, TimeLimitUnit
from incidents.models import SlaRequest
from incidents.sla import (  # noqa: F401 - the predicates are part of this module's interface
    RUNNING,
    STEPS,
    TICK,
    clock_runs,
    held_q,
    is_overdue,
    level_at,
    overdue_q,
    step_due_at,
    warning_q,
)
from worktime import calendar

STEP_ACTIONS = {
    SlaLevel.WARNING: CaseAction.SLA_WARNING,
    SlaLevel.OVERDUE: CaseAction.SLA_OVERDUE,
    SlaLevel.ESCALATED: CaseAction.SLA_ESCALATED,
}


# --- counting time as the case's limit counts it ---------------------------------------------------


def _natural(case) -> bool:
    return case.time_limit_unit == TimeLimitUnit.NATURAL_HOURS


def between(case, start: datetime, end: datetime) -> timedelta:
    """The time that counts against the case's limit from ``start`` to ``end`` (≥ 0)."""
    if end <= start:
        return timedelta()
    return end - start if _natural(case) else calendar.working_time_between(start, end)


def advance(case, start: datetime, duration: timedelta) -> datetime:
    """The instant at which ``duration`` of counted time has passed since ``start``."""
    if _natural(case):
        return start + duration
    return calendar.add_working_time(start, duration).deadline


def instants(case, start: datetime, deadline: datetime) -> tuple[datetime, datetime]:
    """The warning and escalation instants of a round from ``start`` to ``deadline``."""
    allowed = between(case, start, deadline)
    warning_at = advance(case, start, allowed * settings.SLA_WARNING_SHARE)
    # Never before the overdue step (a limit of no time at all): the steps stay in order.
    escalate_at = max(advance(case, deadline, allowed * settings.SLA_ESCALATION_SHARE), deadline + TICK)
    return warning_at, escalate_at


# --- where a case stands (the predicates are ``incidents.sla``) ---------------------------------------


def figures(cases, now: datetime) -> dict[str, int]:
    """``{"warning", "overdue", "held", "pending", "urged"}`` over a queryset of cases, in one query."""
    return cases.order_by().aggregate(
        warning=Count("id", filter=warning_q(now)),
        overdue=Count("id", filter=overdue_q(now)),
        held=Count("id", filter=held_q()),
        pending=Count("id", filter=Q(status__in=RUNNING) & ~Q(sla_pending="")),
        urged=Count("id", filter=Q(status__in=CaseStatus.ACTIVE, urge_count__gt=0)),
    )


# --- the steps --------------------------------------------------------------------------------------


def active_steps() -> list[SlaLevel]:
    """The steps the clock takes (setting ``SLA_STEPS``), in order."""
    return [step for step in STEPS if step.value in settings.SLA_STEPS]


def _remaining(case, level: str | None = None) -> list[SlaLevel]:
    rank = SlaLevel(level or case.sla_level).rank
    return [step for step in active_steps() if step.rank > rank]


def next_check(case, level: str | None = None) -> datetime | None:
    """When the next step of the round falls due (``None``: the clock is stopped or done);
    ``level``: as if the case stood there (by default its ``sla_level``)."""
    if not clock_runs(case):
        return None
    for step in _remaining(case, level):
        due = step_due_at(case, step)
        if due is not None:
            return due
    return None


def plan(case, now: datetime, steps: list[SlaLevel] | None = None) -> tuple[list[SlaLevel], SlaLevel, datetime | None]:
    """For the sweep, in one pass: the steps due at ``now``, in order (no warning for a
    deadline already passed), the level they leave the case at, and its next check after
    them (as ``next_check``). ``steps``: the active steps, if the caller has them."""
    level = SlaLevel(case.sla_level)
    if not clock_runs(case):
        return [], level, None
    due: list[SlaLevel] = []
    next_at = None
    for step in active_steps() if steps is None else steps:
        if step.rank <= level.rank:
            continue
        at = step_due_at(case, step)
        if at is None:
            continue
        if at > now:  # the steps' instants are in order: the rest are later still
            next_at = at
            break
        due.append(step)
    if len(due) > 1 and due[0] == SlaLevel.WARNING:
        due = due[1:]  # no warning for a deadline already passed
    return due, (due[-1] if due else level), next_at


# --- changes, called by the domain functions on the locked case -------------------------------------


def _put(case, fields: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in fields.items():
        if getattr(case, name) != value:
            setattr(case, name, value)
            changed.append(name)
    return changed


def start_clock(case, now: datetime) -> list[str]:
    """A dispatch: a new round from ``now`` to the case's (new) deadline. Returns changed fields."""
    warning_at, escalate_at = instants(case, now, case.deadline)
    return _put(
        case,
        {
            "sla_round": case.sla_round + 1,
            "sla_level": SlaLevel.NORMAL,
            "sla_started_at": now,
            "sla_warning_at": warning_at,
            "sla_escalate_at": escalate_at,
            "held_since": None,
        },
    )


def extended(case, deadline: datetime) -> dict[str, Any]:
    """The fields of a granted extension: the new deadline, a new round from the same start."""
    start = case.sla_started_at or case.dispatched_at
    warning_at, escalate_at = instants(case, start, deadline)
    return {
        "deadline": deadline,
        "sla_round": case.sla_round + 1,
        "sla_level": SlaLevel.NORMAL,
        "sla_warning_at": warning_at,
        "sla_escalate_at": escalate_at,
    }


def paused(case, now: datetime) -> dict[str, Any]:
    """The fields of a case put on hold at ``now``: its clock stops."""
    return {"held_since": now}


def resumed(case, now: datetime) -> dict[str, Any]:
    """The fields of a case taken off hold: the instants still ahead when it was parked move
    on by the time it spent parked (counted as its limit counts time)."""
    since = case.held_since
    fields: dict[str, Any] = {"held_since": None}
    if since is None:
        return fields
    for name in ("sla_warning_at", "deadline", "sla_escalate_at"):
        instant = getattr(case, name)
        if instant is not None and instant > since:
            fields[name] = advance(case, now, between(case, since, instant))
    if case.sla_started_at is not None:  # the clock started as much later: a later extension counts alike
        fields["sla_started_at"] = advance(case, case.sla_started_at, between(case, since, now))
    return fields


def sync(case) -> list[str]:
    """After any step, on the locked case: what follows from its status. Returns changed fields.

    A case the department no longer holds leaves hold, and a request still waiting for the
    centre lapses; the next check is set from the clock (NULL when it does not run).
    """
    fields: dict[str, Any] = {}
    if case.status not in CaseStatus.CLOCK_RUNNING:
        fields["held_since"] = None
        if case.sla_pending:
            SlaRequest.objects.filter(case_id=case.pk, status=SlaRequestStatus.PENDING).update(
                status=SlaRequestStatus.LAPSED
            )
            fields["sla_pending"] = ""
    changed = _put(case, fields)
    return changed + _put(case, {"sla_next_check_at": next_check(case)})
