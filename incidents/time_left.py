"""How much time a department has left on a case: the workbench's colours.

Green while more than ``WARNING_SHARE`` of the time allowed (dispatch → deadline) is left,
yellow below that, red once the deadline has passed (the SLA's "overdue",
``Case.is_overdue``). Cases no department is holding have no colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import CaseStatus

# Yellow when less than this share of the allowed time is left.
WARNING_SHARE = 0.25


class Level(models.TextChoices):
    OK = "ok", gettext_lazy("On time")
    WARNING = "warning", gettext_lazy("Deadline near")
    OVERDUE = "overdue", gettext_lazy("Overdue")


@dataclass(frozen=True)
class TimeLeft:
    level: Level
    remaining: timedelta  # negative once overdue

    @property
    def text(self) -> str:
        if self.level == Level.OVERDUE:
            return _("overdue by %(duration)s") % {"duration": format_duration(-self.remaining)}
        return _("%(duration)s left") % {"duration": format_duration(self.remaining)}


def time_left(case, now: datetime) -> TimeLeft | None:
    """The time left on a case a department holds (``None`` for any other case)."""
    if case.status not in CaseStatus.CLOCK_RUNNING or case.deadline is None:
        return None
    remaining = case.deadline - now
    if case.is_overdue(now):
        return TimeLeft(Level.OVERDUE, remaining)
    allowed = case.deadline - (case.dispatched_at or case.deadline)
    if allowed > timedelta() and remaining < allowed * WARNING_SHARE:
        return TimeLeft(Level.WARNING, remaining)
    return TimeLeft(Level.OK, remaining)


def format_duration(duration: timedelta, *, days: bool = True) -> str:
    """``2 d 3 h``, ``3 h 05 min`` or ``12 min`` (rounded down to the minute).

    ``days=False`` counts in hours only: for working time, whose "day" is not 24 hours.
    """
    minutes = max(0, int(duration.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60) if days else (0, minutes)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
