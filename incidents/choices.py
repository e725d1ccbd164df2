"""Choices of the incidents app (no literals of these values elsewhere).

``CaseStatus`` carries the named groups the rest of the code asks about (``ACTIVE``,
``TERMINAL``, ``CLOCK_RUNNING``) and a colour per status; ``WallScreenFigure`` names the
wall screen's five headline figures and the statuses each one counts (DESIGN.md, "The
case lifecycle").
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

# The unit of a sub-item's time limit is defined with the arithmetic that counts it.
from worktime.choices import TimeLimitUnit

__all__ = [
    "AttachmentKind",
    "CaseAction",
    "CaseSource",
    "CaseStatus",
    "Satisfaction",
    "SlaLevel",
    "SlaRequestKind",
    "SlaRequestStatus",
    "TimeLimitUnit",
    "Urgency",
    "WallScreenFigure",
]


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")


class CaseSource(models.TextChoices):
    """Where a case came from (信息来源)."""

    GRID_WORKER = "grid_worker", _("Grid worker report")
    RESIDENT = "resident", _("Resident report")
    HOTLINE = "hotline", _("Hotline")
    CAMERA = "camera", _("Camera")
    LEADER = "leader", _("Leader's instruction")
    DEPARTMENT = "department", _("Department report")


class CaseStatus(models.TextChoices):
    """Where a case stands in its lifecycle (DESIGN.md, "The case lifecycle")."""

    REPORTED = "reported", _("Reported")
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURNED = "returned", _("Returned")
    RESOLVED = "resolved", _("Resolved, awaiting review")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")

    # Named groups, assigned below the class (an enum body cannot refer to its members).
    ACTIVE: ClassVar[frozenset[CaseStatus]]  # still moving: not closed, not rejected
    TERMINAL: ClassVar[frozenset[CaseStatus]]  # nothing happens after these
    CLOCK_RUNNING: ClassVar[frozenset[CaseStatus]]  # a department holds it: past the deadline = overdue

    @property
    def colour(self) -> str:
        """The colour the user interface shows this status in (a CSS colour)."""
        return STATUS_COLOURS[self]

    @property
    def figure(self) -> WallScreenFigure:
        """The wall-screen bucket (other than "received") that counts this status."""
        return next(figure for figure, statuses in FIGURE_STATUSES.items() if self in statuses)


CaseStatus.TERMINAL = frozenset({CaseStatus.CLOSED, CaseStatus.REJECTED})
CaseStatus.ACTIVE = frozenset(CaseStatus) - CaseStatus.TERMINAL
CaseStatus.CLOCK_RUNNING = frozenset({CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS})

STATUS_COLOURS: dict[CaseStatus, str] = {
    CaseStatus.REPORTED: "#909399",  # grey: waiting for the centre
    CaseStatus.REGISTERED: "#409eff",  # blue
    CaseStatus.DISPATCHED: "#6f42c1",  # purple
    CaseStatus.IN_PROGRESS: "#e6a23c",  # amber
    CaseStatus.RETURNED: "#f56c6c",  # red: back at the centre
    CaseStatus.RESOLVED: "#20c997",  # teal: awaiting review
    CaseStatus.CLOSED: "#67c23a",  # green
    CaseStatus.REJECTED: "#606266",  # dark grey
}


class WallScreenFigure(models.TextChoices):
    """The wall screen's five headline figures; the value is the key in the API."""

    RECEIVED = "received", _("Received")
    CLOSED = "closed", _("Closed")
    PENDING_REVIEW = "pending_review", _("Pending review")
    IN_PROGRESS = "in_progress", _("Being handled")
    OTHER = "other", _("Other")

    @property
    def statuses(self) -> frozenset[CaseStatus]:
        if self == WallScreenFigure.RECEIVED:
            return frozenset(CaseStatus)
        return FIGURE_STATUSES[self]


# received = all; closed 办结销号 = closed; pending review 办结待审核 = resolved;
# in progress 办理中 = dispatched + in_progress + returned; other 其他 = reported + registered + rejected.
FIGURE_STATUSES: dict[WallScreenFigure, frozenset[CaseStatus]] = {
    WallScreenFigure.CLOSED: frozenset({CaseStatus.CLOSED}),
    WallScreenFigure.PENDING_REVIEW: frozenset({CaseStatus.RESOLVED}),
    WallScreenFigure.IN_PROGRESS: frozenset({CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS, CaseStatus.RETURNED}),
    WallScreenFigure.OTHER: frozenset({CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.REJECTED}),
}


def figures_from_counts(counts: dict[str, int]) -> dict[str, int]:
    """The five figures from a count of cases per status value."""
    return {figure.value: sum(counts.get(status, 0) for status in figure.statuses) for figure in WallScreenFigure}


class CaseAction(models.TextChoices):
    """What a timeline row records: a transition, or something said or done without one."""

    REPORT = "report", _("Report")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch")
    ASSIGN = "assign", _("Assign")
    START = "start", _("Start handling")
    RETURN = "return", _("Return to the centre")
    RESOLVE = "resolve", _("Resolve")
    SELF_RESOLVE = "self_resolve", _("Solve on the spot")
    APPROVE = "approve", _("Approve and close")
    REOPEN = "reopen", _("Reopen for rework")
    VERIFY = "verify", _("Verify on site")
    URGE = "urge", _("Urge")
    NOTE = "note", _("Note")
    MERGE = "merge", _("Merge duplicate")
    # The SLA clock (incidents.services.sla): steps the sweep takes, no person.
    SLA_WARNING = "sla_warning", _("Deadline near")
    SLA_OVERDUE = "sla_overdue", _("Deadline passed")
    SLA_ESCALATED = "sla_escalated", _("Escalated to the leaders")
    # More time (延期) and on hold (挂账), asked by the lead department, decided by the centre.
    EXTENSION_REQUEST = "ext_request", _("Ask for more time")
    EXTENSION_APPROVE = "ext_approve", _("Grant more time")
    EXTENSION_REFUSE = "ext_refuse", _("Refuse more time")
    HOLD_REQUEST = "hold_request", _("Ask to put on hold")
    HOLD_APPROVE = "hold_approve", _("Put on hold")
    HOLD_REFUSE = "hold_refuse", _("Refuse the hold")
    RESUME = "resume", _("Resume handling")


class SlaLevel(models.TextChoices):
    """How far a case's SLA clock has gone in its current round (incidents.services.sla).

    Stored on the case as the last step the sweep took (``Case.sla_level``); shown live
    from the case's SLA instants (``sla.level_at``). In order: each step comes after the
    one before it.
    """

    NORMAL = "normal", _("On time")
    WARNING = "warning", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Escalated")

    @property
    def rank(self) -> int:
        return SLA_RANKS[self]

    @property
    def colour(self) -> str:
        return SLA_COLOURS[self]


SLA_RANKS: dict[SlaLevel, int] = {level: rank for rank, level in enumerate(SlaLevel)}
SLA_COLOURS: dict[SlaLevel, str] = {
    SlaLevel.NORMAL: "#67c23a",  # green
    SlaLevel.WARNING: "#e6a23c",  # yellow
    SlaLevel.OVERDUE: "#f56c6c",  # red
    SlaLevel.ESCALATED: "#c0392b",  # deep red
}


class SlaRequestKind(models.TextChoices):
    """What a lead department asks the centre for about its time limit."""

    EXTENSION = "extension", _("More time")  # 延期
    HOLD = "hold", _("On hold")  # 挂账 / 缓办


class SlaRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the centre")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed")  # the case left the department before a decision


class Satisfaction(models.TextChoices):
    """A resident's satisfaction with the outcome (综合评价)."""

    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class AttachmentKind(models.TextChoices):
    BEFORE = "before", _("Before handling")
    HANDLING = "handling", _("During handling")
    AFTER = "after", _("After handling")
