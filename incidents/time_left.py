"""How much time a department has left on a case: the workbench's colours.

The colours are the SLA clock's (``incidents.services.sla``): green until the warning
instant (``SLA_WARNING_SHARE`` of the time allowed), yellow until the deadline, red once it
has passed. Cases no department is holding, and cases on hold, have no colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from incidents import sla
from incidents.choices import SlaLevel


@dataclass(frozen=True)
class TimeLeft:
    level: SlaLevel  # normal, warning or overdue (the CSS class of its pill)
    remaining: timedelta  # negative once overdue

    @property
    def text(self) -> str:
        if self.level == SlaLevel.OVERDUE:
            return _("overdue by %(duration)s") % {"duration": format_duration(-self.remaining)}
        return _("%(duration)s left") % {"duration": format_duration(self.remaining)}


def time_left(case, now: datetime) -> TimeLeft | None:
    """The time left on a case a department holds (``None`` for any other case, and for a
    case on hold); the level is the SLA clock's (``incidents.sla.level_at``)."""
    level = sla.level_at(case, now)
    if level is None:
        return None
    return TimeLeft(level, case.deadline - now)


def format_duration(duration: timedelta, *, days: bool = True) -> str:
    """``2 d 3 h``, ``3 h 05 min`` or ``12 min`` (rounded down to the minute).

    ``days=False`` counts in hours only: for working time, whose "day" is not 24 hours.
    """
    minutes = max(0, int(duration.total_seconds() // 60))
    whole_days, minutes = divmod(minutes, 24 * 60) if days else (0, minutes)
    hours, minutes = divmod(minutes, 60)
    if whole_days:
        return _("%(days)d d %(hours)d h") % {"days": whole_days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}
