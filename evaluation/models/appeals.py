"""Appeals (申诉): a department head contests one counted item of a published month.

Written only by ``evaluation.services.appeals``: the head's appeal (who, when, why, the
evidence), then a leader's decision (who, when, the note) and, for an upheld appeal, the
version it published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluation.choices import APPEALABLE_FIGURES, AppealState


class Appeal(models.Model):
    period = models.CharField(_("period"), max_length=7)
    publication = models.ForeignKey(
        "evaluation.Publication",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("version appealed"),
    )
    department = models.ForeignKey(
        "departments.Department", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("department")
    )
    figure = models.CharField(_("figure"), max_length=32, choices=[(f.value, f.label) for f in APPEALABLE_FIGURES])
    case = models.ForeignKey("incidents.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    round_no = models.PositiveIntegerField(_("round"))
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("appealed by")
    )
    appealed_at = models.DateTimeField(_("appealed at"), default=timezone.now)
    state = models.CharField(_("state"), max_length=16, choices=AppealState.choices, default=AppealState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    result = models.OneToOneField(
        "evaluation.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeal",
        verbose_name=_("version published"),
    )

    class Meta:
        ordering = ["-appealed_at", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "department", "figure", "case", "round_no"], name="evaluation_appeal_once"
            ),
        ]
        indexes = [models.Index(fields=["state", "appealed_at"], name="evaluation_appeal_state")]

    def __str__(self) -> str:
        return f"{self.period} {self.figure} {self.case_id}#{self.round_no} ({self.state})"
