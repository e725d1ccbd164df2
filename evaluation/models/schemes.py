"""Scoring schemes: the weights, deductions and band limits, one row per version.

A leader's edit adds a version (``evaluation.services.schemes.add_version``); a version is
never changed, so a published month keeps the numbers it was scored with. The current
scheme is the newest version; version 1 (the default of ``evaluation.md``) comes from a
data migration.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableSchemeError(Exception):
    """Raised on an attempt to change a stored version (add a new one instead)."""


def _number(label, default: str, *, most: int = 999) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(most))],
    )


class Scheme(models.Model):
    """One version of the scheme (``evaluation.services.scoring.Scheme`` has the same names)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    on_time_weight = _number(_("weight of the on-time rate"), "50")
    handled_weight = _number(_("weight of the handled rate"), "25")
    rework_weight = _number(_("weight of 1 − the rework rate"), "10")
    satisfaction_weight = _number(_("weight of the satisfaction rate"), "15")
    overdue_deduction = _number(_("deduction per overdue open round"), "0.5")
    overdue_deduction_max = _number(_("at most, for overdue open rounds"), "10", most=100)
    shirk_deduction = _number(_("deduction per shirked return"), "1")
    shirk_deduction_max = _number(_("at most, for shirked returns"), "5", most=100)
    green_from = _number(_("green (excellent) from score"), "90", most=100)
    yellow_from = _number(_("yellow (good) from score"), "80", most=100)
    note = models.TextField(_("why this version"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yellow_from__lte=models.F("green_from")), name="evaluation_scheme_bands_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Scheme version %(version)s") % {"version": self.version})

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableSchemeError("a scheme version is never changed: add a new version")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Runs after the fields' own checks, whether or not they passed: only valid numbers are compared.
        if isinstance(self.yellow_from, Decimal) and isinstance(self.green_from, Decimal):
            if self.yellow_from > self.green_from:
                raise ValidationError({"yellow_from": _("Yellow must start at or below green.")})
        weights = (self.on_time_weight, self.handled_weight, self.rework_weight, self.satisfaction_weight)
        if all(isinstance(weight, Decimal) for weight in weights) and not sum(weights):
            raise ValidationError(_("At least one weight must be above 0."))

    @classmethod
    def label(cls, name: str):
        """The verbose name of the number ``name`` (lazy: in the reader's language)."""
        return getattr(cls._meta.get_field(name), "verbose_name", name)
