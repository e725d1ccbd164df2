"""Office hours: the periods of a working day that count as working time.

Pure (no Django models) so that settings.py can validate ``OFFICE_HOURS`` at start-up.
Format: comma-separated ``HH:MM-HH:MM`` periods in order, not overlapping, within one day,
e.g. ``"08:00-12:00,14:30-17:30"``.
"""

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ImproperlyConfigured

OfficePeriod = tuple[time, time]

_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_office_hours(raw: str) -> tuple[OfficePeriod, ...]:
    """``"08:00-12:00,14:30-17:30"`` → ((08:00, 12:00), (14:30, 17:30)); ValueError when malformed."""
    periods: list[OfficePeriod] = []
    parts = [part.strip() for part in raw.split(",")]
    if not raw.strip() or any(not part for part in parts):
        raise ValueError("expected periods like 08:00-12:00,14:30-17:30")
    for part in parts:
        match = _PERIOD.match(part.replace(" ", ""))
        if not match:
            raise ValueError(f"{part!r} is not a period like 08:00-12:00")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if not (h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60):
            raise ValueError(f"{part!r} has an impossible time")
        start, end = time(h1, m1), time(h2, m2)
        if start >= end:
            raise ValueError(f"{part!r} ends before it starts")
        if periods and start < periods[-1][1]:
            raise ValueError(f"{part!r} overlaps or comes before the period before it")
        periods.append((start, end))
    return tuple(periods)


def validate_office_hours(name: str, raw: str) -> str:
    """For settings.py: the raw value if it parses, else ImproperlyConfigured naming the variable."""
    try:
        parse_office_hours(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not valid office hours: {exc}") from exc
    return raw
