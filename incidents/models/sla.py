"""The SLA clock's own rows: each escalation step once, and the departments' requests.

``SlaEscalation`` is the guarantee that each step of the clock (warning, overdue,
escalated) happens once per case and clock round, however many sweeps run at once: the
sweep inserts the row with ``ON CONFLICT DO NOTHING`` and acts only on the rows it
inserted. ``SlaRequest`` is a lead department's request for more time (延期) or to put a
case on hold (挂账), and the centre's decision on it. Both are written only by
``incidents.services`` (the sweep, ``incidents.services.extensions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.choices import SlaRequestKind, SlaRequestStatus, TimeLimitUnit
from incidents.sla import STEPS

# The SLA levels that are steps (the clock starts at NORMAL).


class SlaEscalation(models.Model):
    """One SLA step taken for a case in one clock round (unique: the step happens once)."""

    case = models.ForeignKey(
        "incidents.Case", on_delete=models.PROTECT, related_name="sla_escalations", verbose_name=_("case")
    )
    step = models.CharField(_("step"), max_length=16, choices=[(s.value, s.label) for s in STEPS])
    round = models.PositiveIntegerField(_("clock round"))
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("SLA escalation")
        verbose_name_plural = _("SLA escalations")
        constraints = [
            models.UniqueConstraint(fields=["case", "step", "round"], name="incidents_sla_step_once"),
            models.CheckConstraint(condition=Q(step__in=[s.value for s in STEPS]), name="incidents_sla_step_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.step} #{self.round}"


class SlaRequest(models.Model):
    """A lead department asks for more time or to put a case on hold; the centre decides."""

    case = models.ForeignKey(
        "incidents.Case", on_delete=models.PROTECT, related_name="sla_requests", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SlaRequestKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=SlaRequestStatus.choices, default=SlaRequestStatus.PENDING
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sla_requests",
        verbose_name=_("requested by"),
    )
    department = models.ForeignKey(
        "departments.Department", on_delete=models.PROTECT, related_name="sla_requests", verbose_name=_("department")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    round = models.PositiveIntegerField(_("clock round"))
    # An extension asks for a new deadline, or for an amount of time more than the current one.
    until = models.DateTimeField(_("new deadline asked for"), null=True, blank=True)
    extra_amount = models.DecimalField(_("more time"), max_digits=5, decimal_places=1, null=True, blank=True)
    extra_unit = models.CharField(_("unit"), max_length=16, choices=TimeLimitUnit.choices, blank=True)
    deadline_before = models.DateTimeField(_("deadline when asked"), null=True, blank=True)
    deadline_after = models.DateTimeField(_("deadline granted"), null=True, blank=True)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sla_decisions",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("request about the time limit")
        verbose_name_plural = _("requests about the time limit")
        indexes = [
            models.Index(fields=["case", "-requested_at"], name="incidents_slareq_case"),
            models.Index(
                fields=["requested_at"],
                name="incidents_slareq_pending",
                condition=Q(status=SlaRequestStatus.PENDING),
            ),
        ]
        constraints = [
            # One request at a time per case: the centre answers it before the next.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status=SlaRequestStatus.PENDING), name="incidents_slareq_one_pending"
            ),
            models.CheckConstraint(condition=Q(kind__in=SlaRequestKind.values), name="incidents_slareq_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=SlaRequestStatus.values), name="incidents_slareq_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.status}"
