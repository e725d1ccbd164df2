from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """Why a date departs from the Monday–Friday rule."""

    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")
    LOCAL_HOLIDAY = "local_holiday", _("Local holiday")


class DaySource(models.TextChoices):
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar package")
    ADMIN = "admin", _("Administrator")


class TimeLimitUnit(models.TextChoices):
    """How a time limit is counted (worktime.calendar.deadline)."""

    NATURAL_HOURS = "natural_hours", _("natural hours")  # round the clock
    WORKING_HOURS = "working_hours", _("working hours")  # office time on working days
    WORKING_DAYS = "working_days", _("working days")  # whole office days of working time
