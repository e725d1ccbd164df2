"""The departments stationed in the command centre, and their people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """One of the departments that handle cases (the centre itself is not one)."""

    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Short upper-case code, e.g. CGJ."))
    name = models.CharField(_("name"), max_length=60, help_text=_("Today's name, shown on every page."))
    former_name = models.CharField(
        _("former name"), max_length=60, blank=True, help_text=_("Name before the 2019 reform of the city's bureaus.")
    )
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    main_matters = models.TextField(_("main matters"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def head(self) -> Officer | None:
        return self.officers.filter(is_head=True).select_related("user").first()


class Officer(models.Model):
    """A user working for a department: a department officer (专员) or its head."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer", verbose_name=_("user")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="officers", verbose_name=_("department")
    )
    is_head = models.BooleanField(_("department head"), default=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["department__code", "-is_head", "user__username"]
        verbose_name = _("department officer")
        verbose_name_plural = _("department officers")
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=models.Q(is_head=True), name="departments_one_head_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} · {self.department.code}"
