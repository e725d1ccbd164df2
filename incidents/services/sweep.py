"""The SLA sweep: takes each step of the clock (warning, overdue, escalated) exactly once.

Run every minute by Celery beat (``incidents.tasks.sla_sweep_task``); safe when several
run at once, and driven only by the database, so a lost or late run costs a minute, never
a step:

1. **Due cases, from the index.** ``sla_next_check_at <= now`` on the partial index of
   running clocks (``incidents_case_sla_check``), oldest first, a batch at a time
   (``SLA_SWEEP_BATCH``), keyset-paged: never a scan of the open cases, and the cost of a
   run with nothing due is one index probe.
2. **What is due** for each case is decided by ``incidents.services.sla`` (``due_steps``,
   ``next_check``); a case whose computation fails is logged and skipped.
3. **Claim** the batch in one statement: a compare-and-set ``UPDATE … WHERE id = X AND
   sla_next_check_at = <value read> AND sla_round = <round read>`` for every case (rows
   locked by someone else are skipped, ``SKIP LOCKED``, and come back next minute). A case
   not claimed was changed meanwhile (resolved, extended, taken by another sweep):
   "0 rows" = someone else did it.
4. **Each step once**: one ``SlaEscalation`` row per (case, step, round), inserted with
   ``ON CONFLICT DO NOTHING``; only the rows inserted go on to their timeline row
   (``CaseEvent``, actions ``sla_warning`` / ``sla_overdue`` / ``sla_escalated``) and to
   the listeners of ``case_events_recorded`` (the notifications), in the same transaction.
5. **After commit**, the overdue and escalated cases are pushed to the wall screen, their
   grid and department (at most ``SLA_LIVE_EVENTS_MAX`` a run: a burst beyond that reaches
   the wall screen with its next event or resync).

A batch whose transaction fails is retried case by case, so one bad case never blocks the
rest.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gridcenter.realtime import publish
from incidents.choices import SlaLevel
from incidents.models import Case, CaseEvent
from incidents.services import sla
from incidents.services.events import (
    WALLSCREEN_GROUP,
    case_events_recorded,
    department_group,
    event_payload,
    grid_group,
)

logger = logging.getLogger(__name__)

# What the sweep reads of a due case (``DueCase`` has the same names, in this order).
COLUMNS = (
    "id",
    "sla_next_check_at",
    "sla_round",
    "sla_level",
    "status",
    "deadline",
    "held_since",
    "sla_warning_at",
    "sla_escalate_at",
    "lead_department_id",
    "assigned_officer_id",
    "grid_id",
    "tracking_no",
    "reporter_id",
)
LIVE_STEPS = (SlaLevel.OVERDUE, SlaLevel.ESCALATED)


@dataclass(slots=True)
class DueCase:
    """A due case as read (attribute names as on ``Case``, for ``sla`` and the listeners)."""

    id: int
    sla_next_check_at: datetime
    sla_round: int
    sla_level: str
    status: str
    deadline: datetime | None
    held_since: datetime | None
    sla_warning_at: datetime | None
    sla_escalate_at: datetime | None
    lead_department_id: int | None
    assigned_officer_id: int | None
    grid_id: int
    tracking_no: str
    reporter_id: int | None

    @property
    def pk(self) -> int:
        return self.id


@dataclass
class Plan:
    case: DueCase
    steps: list[SlaLevel]
    level: SlaLevel
    next_check: datetime | None


@dataclass
class SweepResult:
    due: int = 0  # due cases read
    claimed: int = 0  # claimed by this run
    lost: int = 0  # changed meanwhile, or claimed by another run
    failed: int = 0  # logged and skipped
    steps: Counter = field(default_factory=Counter)  # steps taken, by level

    def as_dict(self) -> dict:
        return {
            "due": self.due,
            "claimed": self.claimed,
            "lost": self.lost,
            "failed": self.failed,
            "steps": dict(self.steps),
        }


def sweep(now: datetime | None = None, *, batch_size: int | None = None) -> SweepResult:
    """Take every SLA step due at ``now`` (default: the current time). Returns what it did."""
    now = now or timezone.now()
    batch_size = batch_size or settings.SLA_SWEEP_BATCH
    result = SweepResult()
    live_left = [settings.SLA_LIVE_EVENTS_MAX]
    after: tuple[datetime, int] | None = None
    while True:
        due = Case.objects.filter(sla_next_check_at__lte=now)
        if after is not None:  # keyset: past the last case read (a skipped one stays behind)
            due = due.filter(sla_next_check_at__gte=after[0]).exclude(
                Q(sla_next_check_at=after[0]) & Q(id__lte=after[1])
            )
        rows = [
            DueCase(*values) for values in due.order_by("sla_next_check_at", "id").values_list(*COLUMNS)[:batch_size]
        ]
        if not rows:
            break
        result.due += len(rows)
        after = (rows[-1].sla_next_check_at, rows[-1].id)
        _sweep_batch(rows, now, result, live_left)
        if len(rows) < batch_size:
            break
    if result.claimed or result.failed:
        logger.info("SLA sweep at %s: %s", now.isoformat(), result.as_dict())
    return result


def _plan(case: DueCase, now: datetime) -> Plan:
    steps = sla.due_steps(case, now)
    level = steps[-1] if steps else SlaLevel(case.sla_level)
    return Plan(case, steps, level, sla.next_check(replace(case, sla_level=level)))


def _sweep_batch(rows: list[DueCase], now: datetime, result: SweepResult, live_left: list[int]) -> None:
    plans = []
    for row in rows:
        try:
            plans.append(_plan(row, now))
        except Exception:  # noqa: BLE001 - one bad case is logged and skipped, never blocks the rest
            logger.exception("SLA sweep: case %s skipped (its SLA state could not be computed)", row.id)
            result.failed += 1
    if not plans:
        return
    try:
        with transaction.atomic():
            outcome = _apply(plans, now, live_left)
    except Exception:  # noqa: BLE001 - retried case by case below
        logger.exception("SLA sweep: a batch of %d cases failed; trying them one by one", len(plans))
        outcome = None
    if outcome is not None:
        _count(result, outcome)
        return
    for plan in plans:
        try:
            with transaction.atomic():
                outcome = _apply([plan], now, live_left)
        except Exception:  # noqa: BLE001 - one bad case is logged and skipped
            logger.exception("SLA sweep: case %s skipped", plan.case.id)
            result.failed += 1
            continue
        _count(result, outcome)


def _count(result: SweepResult, outcome: tuple[int, int, Counter]) -> None:
    claimed, lost, steps = outcome
    result.claimed += claimed
    result.lost += lost
    result.steps.update(steps)


# The compare-and-set claim of a batch: one row per case, its id, the next check and round
# read, and what to write. Rows locked by a transaction in flight are left for next time.
CLAIM_SQL = """
WITH due (id, old_check, old_round, level, next_check) AS (
    SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::integer[], %s::text[], %s::timestamptz[])
), claimed AS (
    SELECT c.id FROM incidents_case c JOIN due ON due.id = c.id
    WHERE c.sla_next_check_at = due.old_check AND c.sla_round = due.old_round
    ORDER BY c.id
    FOR UPDATE OF c SKIP LOCKED
)
UPDATE incidents_case c SET sla_level = due.level, sla_next_check_at = due.next_check
FROM due JOIN claimed ON claimed.id = due.id
WHERE c.id = due.id
RETURNING c.id
"""

# Each (case, step, round) once: only the rows inserted here go on.
STEP_SQL = """
INSERT INTO incidents_slaescalation (case_id, step, round, deadline, created_at)
SELECT * FROM unnest(%s::bigint[], %s::text[], %s::integer[], %s::timestamptz[], %s::timestamptz[])
ON CONFLICT (case_id, step, round) DO NOTHING
RETURNING case_id, step
"""


def _apply(plans: list[Plan], now: datetime, live_left: list[int]) -> tuple[int, int, Counter]:
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            [
                [p.case.id for p in plans],
                [p.case.sla_next_check_at for p in plans],
                [p.case.sla_round for p in plans],
                [p.level.value for p in plans],
                [p.next_check for p in plans],
            ],
        )
        claimed_ids = {row[0] for row in cursor.fetchall()}
        claimed = [p for p in plans if p.case.id in claimed_ids]
        wanted = [(p, step) for p in claimed for step in p.steps]
        taken: set[tuple[int, str]] = set()
        if wanted:
            cursor.execute(
                STEP_SQL,
                [
                    [p.case.id for p, _step in wanted],
                    [step.value for _p, step in wanted],
                    [p.case.sla_round for p, _step in wanted],
                    [p.case.deadline for p, _step in wanted],
                    [now] * len(wanted),
                ],
            )
            taken = {(case_id, step) for case_id, step in cursor.fetchall()}
    pairs = [(p.case, step) for p, step in wanted if (p.case.id, step.value) in taken]
    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=case.id,
                actor=None,
                actor_role="",
                department_id=case.lead_department_id,
                action=sla.STEP_ACTIONS[step],
                from_status=case.status,
                to_status=case.status,
                data={"round": case.sla_round, "deadline": case.deadline.isoformat(), "level": step.value},
                created_at=now,
            )
            for case, step in pairs
        ]
    )
    recorded = [(case, event) for (case, _step), event in zip(pairs, events, strict=True)]
    if recorded:
        case_events_recorded.send(sender=Case, events=recorded)
    for case, event in recorded:
        if live_left[0] <= 0:
            break
        if SlaLevel(event.data["level"]) in LIVE_STEPS:
            live_left[0] -= 1
            groups = [WALLSCREEN_GROUP, grid_group(case.grid_id)]
            if case.lead_department_id:
                groups.append(department_group(case.lead_department_id))
            publish(groups, f"case.{event.action}", event_payload(case, event))
    return len(claimed), len(plans) - len(claimed), Counter(step.value for _case, step in pairs)
