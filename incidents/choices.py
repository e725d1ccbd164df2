"""Choices of the incidents app (no literals of these values elsewhere)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeLimitUnit(models.TextChoices):
    """How a sub-item's time limit is counted (see worktime.calendar)."""

    NATURAL_HOURS = "natural_hours", _("natural hours")  # round the clock
    WORKING_HOURS = "working_hours", _("working hours")  # office time on working days
    WORKING_DAYS = "working_days", _("working days")  # whole office days of working time


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
