"""When things happen in the history: working time, and the instants the plan's fates bend around."""

from __future__ import annotations

from datetime import datetime, timedelta

from incidents.demo.plan import TZ
from worktime import calendar

# The last moments a case may be resolved and still be closed (or reviewed) by the cutoff.
LAST_CLOSED_RESOLVE = datetime(2015, 4, 29, 11, 0, tzinfo=TZ)
LAST_RESOLVE = datetime(2015, 4, 30, 16, 0, tzinfo=TZ)
BACKLOG_MINUTES = 9  # after the holiday the centre clears its review backlog, one every 9 working minutes
OFFICE_DAY_MINUTES = 7 * 60


def work(start: datetime, minutes: float) -> datetime:
    """``minutes`` of working time after ``start`` (the working-time calendar)."""
    return calendar.add_working_time(start, timedelta(minutes=minutes)).deadline
