"""The SLA sweep: takes each step of the clock (warning, overdue, escalated) exactly once.

Run every minute by Celery beat (``incidents.tasks.sla_sweep_task``); safe when several
run at once, and driven only by the database, so a lost or late run costs a minute, never
a step:

1. **Due cases, from the index.** ``sla_next_check_at <= now`` on the partial index of
   running clocks (``incidents_case_sla_check``), oldest first, a batch at a time
   (``SLA_SWEEP_BATCH``), keyset-paged: never a scan of the open cases, and the cost of a
   run with nothing due is one index probe.
2. **What is due** for each case is decided by ``incidents.services.sla.plan`` (the steps due,
   the level they leave, the next check); a case whose computation fails is logged and skipped.
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

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gridcenter.pgarrays import int_array, text_array, time_array
from gridcenter.realtime import publish
from incidents.choices import SlaLevel
from incidents.models import Case
from incidents.services import sla
from incidents.services.events import assisting_ids, audience, case_events_recorded, event_payload

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
LIVE_ACTIONS = (sla.STEP_ACTIONS[SlaLevel.OVERDUE], sla.STEP_ACTIONS[SlaLevel.ESCALATED])


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


@dataclass(slots=True)
class SweepEvent:
    """A timeline row the sweep wrote (attribute names as on ``CaseEvent``, for the listeners)."""

    pk: int
    case_id: int
    action: str
    from_status: str
    data: dict
    created_at: datetime
    note: str = ""
    actor_id: int | None = None


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


def _plan(case: DueCase, now: datetime, steps: list[SlaLevel] | None = None) -> Plan:
    return Plan(case, *sla.plan(case, now, steps))


def _sweep_batch(rows: list[DueCase], now: datetime, result: SweepResult, live_left: list[int]) -> None:
    plans = []
    steps = sla.active_steps()
    for row in rows:
        try:
            plans.append(_plan(row, now, steps))
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

# Each (case, step, round) once: the step's row is inserted with ON CONFLICT DO NOTHING, and
# only the rows inserted here get their timeline row (written at once, no model instance per
# row; a case takes a step once per batch, so (case, action) names the row).
STEP_SQL = """
WITH wanted (case_id, step, round, deadline, department_id, action, status, data) AS (
    SELECT * FROM unnest(%(cases)s::bigint[], %(steps)s::text[], %(rounds)s::integer[], %(deadlines)s::timestamptz[],
                         %(departments)s::bigint[], %(actions)s::text[], %(statuses)s::text[], %(data)s::text[])
), taken AS (
    INSERT INTO incidents_slaescalation (case_id, step, round, deadline, created_at)
    SELECT case_id, step, round, deadline, %(now)s FROM wanted
    ON CONFLICT (case_id, step, round) DO NOTHING
    RETURNING case_id, step
)
INSERT INTO incidents_caseevent (case_id, actor_id, actor_role, department_id, action, from_status, to_status,
                                 note, data, created_at)
SELECT w.case_id, NULL, '', w.department_id, w.action, w.status, w.status, '', w.data::jsonb, %(now)s
FROM wanted w JOIN taken t ON t.case_id = w.case_id AND t.step = w.step
RETURNING id, case_id, action
"""


def _take_steps(wanted: list[tuple[DueCase, SlaLevel]], now: datetime) -> list[tuple[DueCase, SweepEvent]]:
    """Insert each step's row (once) and its timeline row; the (case, timeline row) pairs taken."""
    if not wanted:
        return []
    data: list[dict[str, Any]] = []
    for case, step in wanted:
        assert case.deadline is not None  # a step falls due only on a deadline
        data.append({"round": case.sla_round, "deadline": case.deadline.isoformat(), "level": step.value})
    with connection.cursor() as cursor:
        cursor.execute(
            STEP_SQL,
            {
                "cases": int_array(case.id for case, _step in wanted),
                "steps": text_array(step.value for _case, step in wanted),
                "rounds": int_array(case.sla_round for case, _step in wanted),
                "deadlines": time_array(case.deadline for case, _step in wanted),
                "departments": int_array(case.lead_department_id for case, _step in wanted),
                "actions": text_array(sla.STEP_ACTIONS[step].value for _case, step in wanted),
                "statuses": text_array(case.status for case, _step in wanted),
                "data": text_array(json.dumps(item, ensure_ascii=False) for item in data),
                "now": now,
            },
        )
        written = {(case_id, action): pk for pk, case_id, action in cursor.fetchall()}
    taken = []
    for (case, step), facts in zip(wanted, data, strict=True):
        action = sla.STEP_ACTIONS[step]
        pk = written.get((case.id, action))
        if pk is not None:
            taken.append((case, SweepEvent(pk, case.id, action, case.status, facts, now)))
    return taken


def _apply(plans: list[Plan], now: datetime, live_left: list[int]) -> tuple[int, int, Counter]:
    with connection.cursor() as cursor:
        cursor.execute(
            CLAIM_SQL,
            [
                int_array(p.case.id for p in plans),
                time_array(p.case.sla_next_check_at for p in plans),
                int_array(p.case.sla_round for p in plans),
                text_array(p.level.value for p in plans),
                time_array(p.next_check for p in plans),
            ],
        )
        claimed_ids = {row[0] for row in cursor.fetchall()}
    claimed = [p for p in plans if p.case.id in claimed_ids]
    recorded = _take_steps([(p.case, step) for p in claimed for step in p.steps], now)
    if recorded:
        case_events_recorded.send(sender=Case, events=recorded)
    live = [(case, event) for case, event in recorded if event.action in LIVE_ACTIONS][: max(live_left[0], 0)]
    live_left[0] -= len(live)
    assisting = assisting_ids(case.id for case, _event in live) if live else {}
    for case, event in live:
        groups = audience(case, assisting=assisting.get(case.id, ()))
        publish(groups, f"case.{event.action}", event_payload(case, event))
    return len(claimed), len(plans) - len(claimed), Counter(event.data["level"] for _case, event in recorded)
