"""Evaluation periods: calendar months in the city's time zone (``YYYY-MM``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gridcenter.errors import DomainValidationError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
EARLIEST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Period:
    """One month, ``[start, end)`` in local time."""

    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> datetime:
        return self.next().start

    def next(self) -> Period:
        return Period(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Period:
        return Period(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return self.key


def period_of(instant: datetime) -> Period:
    local = timezone.localtime(instant, ZoneInfo(settings.TIME_ZONE))
    return Period(local.year, local.month)


def parse_period(value: str, *, now: datetime | None = None, field: str = "period") -> Period:
    """A ``YYYY-MM`` that has begun (the current month included); else a 400 on ``field``."""
    match = _MONTH.match(str(value or "").strip())
    if match is None:
        raise DomainValidationError.field(field, _("Give a month as YYYY-MM."))
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < EARLIEST_YEAR:
        raise DomainValidationError.field(field, _("No such month."))
    period = Period(year, month)
    if period > period_of(now or timezone.now()):
        raise DomainValidationError.field(field, _("This month has not begun yet."))
    return period
