"""Working time: deadlines, elapsed working time and working days, on the official calendar.

Definitions (the README's "Working time" section repeats them):

* A **working day** is Monday to Friday, unless the calendar (``CalendarDay``) makes it a
  public or local holiday; a weekend day the calendar declares a make-up working day (调休)
  is a working day.
* **Working time** is the office hours (setting ``OFFICE_HOURS``, e.g. 08:00–12:00 and
  14:30–17:30, local time ``TIME_ZONE``) of working days; nights, lunch breaks, weekends and
  holidays do not count.
* A limit in **natural hours** runs round the clock: deadline = start + N hours.
* A limit in **working hours** ends at the first instant at which N hours of working time
  have passed since the start (a start outside office time counts from the next office
  period; a deadline that falls exactly on the end of a period stays there).
* A limit in **working days** is N whole office days of working time: N × (the length of
  the office hours of one day, 7 h by default). So 1 working day from Friday 10:00 ends on
  Monday 10:00, and from Friday 18:00 it ends on Monday 17:30.
* A date in a year that has no public holiday in the calendar (not yet published, or
  beyond what chinesecalendar knows) follows Monday–Friday, and every result that depends
  on such a date is marked ``provisional``.

The arithmetic is in ``WorkCalendar`` (pure: office hours plus a function that returns a
year's calendar). The module functions use the database calendar, cached per year in this
process and dropped when a ``CalendarDay`` changes (here at once, in other processes
within ``GENERATION_CHECK_SECONDS``).
"""

from __future__ import annotations

import threading
import time as clock
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

from gridcenter.env import OfficePeriod, parse_office_hours
from worktime.choices import DayKind, TimeLimitUnit

# Give up rather than loop for ever if an administrator made every day a holiday.
MAX_SEARCH_DAYS = 5 * 366
GENERATION_KEY = "worktime:calendar-generation"
GENERATION_CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Deadline:
    deadline: datetime
    provisional: bool  # True when an unpublished year was assumed to be Monday–Friday


@dataclass(frozen=True)
class YearCalendar:
    year: int
    known: bool  # the year's official calendar is in the database
    overrides: Mapping[date, bool] = field(default_factory=dict)  # date -> is a working day

    def is_working_day(self, day: date) -> bool:
        return self.overrides.get(day, day.weekday() < 5)


class WorkCalendar:
    """Working-time arithmetic over given office hours and a source of year calendars."""

    def __init__(self, periods: tuple[OfficePeriod, ...], year_source: Callable[[int], YearCalendar], tz: tzinfo):
        if not periods:
            raise ValueError("office hours need at least one period")
        self.periods = periods
        self.year_source = year_source
        self.tz = tz
        self.day_length = sum(
            (
                datetime.combine(date.min, end) - datetime.combine(date.min, start)  # noqa: DTZ001 (durations only)
                for start, end in periods
            ),
            timedelta(),
        )

    # --- days ------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return self.year_source(day.year).is_working_day(day)

    def is_known(self, day: date) -> bool:
        return self.year_source(day.year).known

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of ``day`` as aware datetimes (none on a day off)."""
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, tzinfo=self.tz), datetime.combine(day, end, tzinfo=self.tz))
            for start, end in self.periods
        ]

    def is_office_time(self, instant: datetime) -> bool:
        local = self._local(instant)
        return any(start <= local < end for start, end in self.office_periods(local.date()))

    # --- arithmetic ----------------------------------------------------------------------------
    def deadline(self, start: datetime, amount: Decimal | int | float | str, unit: str) -> Deadline:
        hours = Decimal(str(amount))
        if hours < 0:
            raise ValueError("a time limit cannot be negative")
        duration = timedelta(seconds=float(hours * 3600))
        unit = TimeLimitUnit(unit)
        if unit == TimeLimitUnit.NATURAL_HOURS:
            return Deadline(self._local(start) + duration, provisional=False)
        if unit == TimeLimitUnit.WORKING_DAYS:
            duration = self.day_length * float(hours)
        return self.add_working_time(start, duration)

    def add_working_time(self, start: datetime, duration: timedelta) -> Deadline:
        """The first instant at which ``duration`` of working time has passed since ``start``."""
        local = self._local(start)
        if duration <= timedelta():
            return Deadline(local, provisional=False)
        remaining = duration
        provisional = False
        day = local.date()
        for _offset in range(MAX_SEARCH_DAYS):
            provisional = provisional or not self.is_known(day)
            for period_start, period_end in self.office_periods(day):
                begin = max(period_start, local)
                if begin >= period_end:
                    continue
                available = period_end - begin
                if remaining <= available:
                    return Deadline(begin + remaining, provisional)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"no working time within {MAX_SEARCH_DAYS} days of {start:%Y-%m-%d}")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when ``end`` is not after ``start``."""
        start, end = self._local(start), self._local(end)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self.office_periods(day):
                overlap = min(period_end, end) - max(period_start, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total

    def _local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("working-time arithmetic needs an aware datetime")
        return instant.astimezone(self.tz)


# --- The database calendar, cached per year in this process ------------------------------------
_years: dict[int, YearCalendar] = {}
_lock = threading.Lock()
_generation: str | None = None
_generation_checked_at = float("-inf")


def load_year(year: int) -> YearCalendar:
    """A year of the database calendar (cached; see the module docstring)."""
    _follow_other_processes()
    cached = _years.get(year)
    if cached is None:
        from worktime.models import CalendarDay

        rows = list(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working_day", "kind"))
        cached = YearCalendar(
            year=year,
            known=any(kind == DayKind.HOLIDAY for _day, _working, kind in rows),
            overrides={day: working for day, working, _kind in rows},
        )
        with _lock:
            _years[year] = cached
    return cached


def clear_cache() -> None:
    """Forget the cached years in this process (tests; after a change)."""
    with _lock:
        _years.clear()


def calendar_changed() -> None:
    """Called when a CalendarDay changes: drop the cache here and tell other processes."""
    global _generation
    clear_cache()
    generation = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, generation, None)
    except RedisError:
        return  # other processes catch up when the cache answers again
    _generation = generation


def _follow_other_processes() -> None:
    global _generation, _generation_checked_at
    now = clock.monotonic()
    if now - _generation_checked_at < GENERATION_CHECK_SECONDS:
        return
    _generation_checked_at = now
    try:
        generation = cache.get(GENERATION_KEY)
    except RedisError:
        return
    if generation != _generation:
        clear_cache()
        _generation = generation


@lru_cache(maxsize=8)
def _calendar_for(office_hours: str, time_zone: str) -> WorkCalendar:
    return WorkCalendar(parse_office_hours(office_hours), load_year, ZoneInfo(time_zone))


def default_calendar() -> WorkCalendar:
    """The calendar of the settings (``OFFICE_HOURS``, ``TIME_ZONE``) and the database."""
    return _calendar_for(settings.OFFICE_HOURS, settings.TIME_ZONE)


def deadline(start: datetime, amount: Decimal | int | float | str, unit: str) -> Deadline:
    """The deadline of a time limit of ``amount`` ``unit`` (a ``TimeLimitUnit``) from ``start``."""
    return default_calendar().deadline(start, amount, unit)


def add_working_time(start: datetime, duration: timedelta) -> Deadline:
    return default_calendar().add_working_time(start, duration)


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """The office time on working days between two instants."""
    return default_calendar().working_time_between(start, end)


def is_working_day(day: date) -> bool:
    return default_calendar().is_working_day(day)


def year_is_published(year: int) -> bool:
    return load_year(year).known


def missing_next_year_warning(today: date) -> bool:
    """True from 1 December on while next year's official calendar is not in the database."""
    return today.month == 12 and not year_is_published(today.year + 1)
