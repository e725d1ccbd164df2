"""The official working-time calendar: the dates that depart from Monday–Friday."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from worktime.choices import DayKind, DaySource


class CalendarDay(models.Model):
    """A public holiday, a make-up working day (调休) or a local holiday.

    Dates without a row follow the Monday–Friday rule. A year counts as published once it
    has at least one public-holiday row; until then worktime.calendar marks results in it
    provisional.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("E.g. 春节, 国庆节."))
    source = models.CharField(_("source"), max_length=16, choices=DaySource.choices, default=DaySource.ADMIN)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=DayKind.MAKEUP_WORKDAY, is_working_day=True)
                | models.Q(kind__in=[DayKind.HOLIDAY, DayKind.LOCAL_HOLIDAY], is_working_day=False),
                name="worktime_calendarday_kind_matches_working_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name or self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        self.is_working_day = self.kind == DayKind.MAKEUP_WORKDAY
        super().save(*args, **kwargs)
