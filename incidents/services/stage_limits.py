"""The command centre's own time limits: accept a report, review a resolved case.

Two stages belong to the centre itself (not to a department): deciding on a new report
(accept, reject or merge it) within ``CENTRE_ACCEPT_LIMIT_MINUTES`` working minutes of
its arrival, and reviewing a resolved case (approve or reopen it) within
``CENTRE_REVIEW_LIMIT_MINUTES`` working minutes of its resolution. Working minutes are
counted on the working-time calendar (``worktime.calendar``): a report filed on a
Saturday night waits no working time until Monday morning.

The timeline row of the step that ends a stage keeps what it took, as it was then
(``stage_facts``, written by ``record_event``): ``{"stage": "accept" | "review",
"stage_minutes": 42.0, "stage_limit_minutes": 30, "late": true}``. The rows are never
changed, so a later change of the settings does not rewrite history. ``waiting`` gives
the same measure for a case still waiting in a queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from incidents.choices import CaseAction, CaseStatus
from incidents.models import Case, CaseEvent
from worktime import calendar

ACCEPT_STAGE = "accept"
REVIEW_STAGE = "review"
STAGE_LABELS = {ACCEPT_STAGE: _("Acceptance"), REVIEW_STAGE: _("Review")}

# The steps that end each stage, from the status the stage waits in.
_ENDS: dict[tuple[str, str], str] = {
    (CaseStatus.REPORTED, CaseAction.ACCEPT): ACCEPT_STAGE,
    (CaseStatus.REPORTED, CaseAction.REJECT): ACCEPT_STAGE,
    (CaseStatus.REPORTED, CaseAction.MERGE): ACCEPT_STAGE,
    (CaseStatus.RESOLVED, CaseAction.APPROVE): REVIEW_STAGE,
    (CaseStatus.RESOLVED, CaseAction.REOPEN): REVIEW_STAGE,
}
# The statuses a case waits for the centre in, and the stage that wait belongs to.
WAITING_STAGES: dict[str, str] = {CaseStatus.REPORTED: ACCEPT_STAGE, CaseStatus.RESOLVED: REVIEW_STAGE}


def limit_minutes(stage: str) -> int:
    if stage == ACCEPT_STAGE:
        return settings.CENTRE_ACCEPT_LIMIT_MINUTES
    return settings.CENTRE_REVIEW_LIMIT_MINUTES


@dataclass(frozen=True)
class StageWait:
    stage: str
    since: datetime
    minutes: float  # working minutes waited so far
    limit: int

    @property
    def late(self) -> bool:
        return self.minutes > self.limit

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self.stage])


def _working_minutes(start: datetime, end: datetime) -> float:
    return calendar.working_time_between(start, end).total_seconds() / 60


def _resolved_since(case: Case) -> datetime | None:
    """When the case last entered "resolved" (its review stage began)."""
    if case.resolved_at is not None:
        return case.resolved_at
    return (
        CaseEvent.objects.filter(case=case, to_status=CaseStatus.RESOLVED)
        .exclude(from_status=CaseStatus.RESOLVED)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


def stage_facts(case: Case, action: str, from_status: str, now: datetime) -> dict:
    """What a step that ends one of the centre's stages keeps on its timeline row ({} otherwise).

    Called by ``record_event`` before the row is written; ``case`` already carries the
    step's changes (a reopened case has lost its ``resolved_at``: the timeline says when
    it was resolved).
    """
    stage = _ENDS.get((from_status, action))
    if stage is None or case.status == from_status:  # a stage ends when the case leaves it
        return {}
    since = case.created_at if stage == ACCEPT_STAGE else _resolved_since(case)
    if since is None:
        return {}
    minutes = round(_working_minutes(since, now), 1)
    limit = limit_minutes(stage)
    return {"stage": stage, "stage_minutes": minutes, "stage_limit_minutes": limit, "late": minutes > limit}


def waiting(case: Case, now: datetime) -> StageWait | None:
    """How long a case has been waiting for the centre in its current stage (``None`` if it is not)."""
    stage = WAITING_STAGES.get(case.status)
    if stage is None:
        return None
    since = case.created_at if stage == ACCEPT_STAGE else case.resolved_at
    if since is None:
        return None
    return StageWait(stage, since, round(_working_minutes(since, now), 1), limit_minutes(stage))


def late_steps() -> QuerySet[CaseEvent]:
    """The timeline rows of the centre's steps that came after their stage's limit."""
    return CaseEvent.objects.filter(data__late=True)


def stage_steps() -> QuerySet[CaseEvent]:
    """The timeline rows that ended one of the centre's stages (late or not)."""
    return CaseEvent.objects.filter(data__has_key="stage")
