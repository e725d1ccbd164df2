"""Choices of the incidents app (no literals of these values elsewhere)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The unit of a sub-item's time limit is defined with the arithmetic that counts it.
from worktime.choices import TimeLimitUnit

__all__ = ["TimeLimitUnit", "Urgency"]


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
