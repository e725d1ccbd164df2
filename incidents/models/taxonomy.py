"""The incident taxonomy: major categories (大类) and their sub-items (小项).

Sub-items are retired (``is_active = False``), never deleted: a case keeps the sub-item
and the time limit it was dispatched with.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import TimeLimitUnit, Urgency


class MajorCategory(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    domain = models.CharField(_("domain"), max_length=30, help_text=_("Groups the categories in charts."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("major category")
        verbose_name_plural = _("major categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubCategory(models.Model):
    major = models.ForeignKey(
        MajorCategory, on_delete=models.PROTECT, related_name="subcategories", verbose_name=_("major category")
    )
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    lead_department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        related_name="lead_subcategories",
        verbose_name=_("lead department"),
    )
    assisting_departments = models.ManyToManyField(
        "departments.Department",
        blank=True,
        related_name="assisting_subcategories",
        verbose_name=_("assisting departments"),
    )
    limit_amount = models.DecimalField(
        _("time limit"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    limit_unit = models.CharField(_("time limit unit"), max_length=16, choices=TimeLimitUnit.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    closing_criterion = models.TextField(
        _("closing criterion"), help_text=_("What the reviewer checks before closing.")
    )
    # A new report within this distance of an open case of the same sub-item is offered as
    # its duplicate (incidents.services.duplicates).
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (m)"),
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_("Open cases of this sub-item within this distance of a new report are suggested as duplicates."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-item")
        verbose_name_plural = _("sub-items")
        constraints = [
            models.CheckConstraint(condition=models.Q(limit_amount__gt=0), name="incidents_subcategory_limit_positive"),
            models.CheckConstraint(
                condition=models.Q(limit_unit__in=TimeLimitUnit.values), name="incidents_subcategory_limit_unit_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def limit_display(self) -> str:
        """The time limit for people, e.g. "3 工作日" or "0.5 小时(自然时)"."""
        return format_limit(self.limit_amount, self.limit_unit)


def format_limit(amount: Decimal, unit: str) -> str:
    number = amount.normalize() if amount == amount.to_integral() else amount
    return f"{number:f} {TimeLimitUnit(unit).label}"
