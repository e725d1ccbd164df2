"""Typed readers for environment variables, and the parsers of the settings with a format.

Every setting comes from the environment (12-factor). A malformed value stops the
process at start-up with a message naming the variable, instead of being guessed.
Pure (no app code): settings.py reads everything through this module before apps load.

Formats:
- ``OFFICE_HOURS``: comma-separated ``HH:MM-HH:MM`` periods of a working day, in order,
  not overlapping, e.g. ``"08:00-12:00,14:30-17:30"``.
- ``SLA_STEPS``: which steps the SLA clock takes and whom each tells, e.g.
  ``warning:officer;overdue:head;escalated:leaders``. A step left out is not taken; a
  step with no audience (``escalated:``) is taken (its timeline row is written) and
  tells nobody.
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Callable, Mapping
from datetime import time
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    """Reads typed values from a mapping (``os.environ`` by default)."""

    def __init__(self, source: Mapping[str, str] | None = None) -> None:
        self.source = os.environ if source is None else source

    def _read(self, name: str, default: T, parse: Callable[[str], T], kind: str) -> T:
        raw = self.source.get(name)
        if raw is None:
            return default
        try:
            return parse(raw.strip())
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a valid {kind}: {exc}") from exc

    # Annotations below this method name the builtin as ``builtins.str``: inside the class
    # body, a bare ``str`` is this method.
    def str(self, name: str, default: str = "") -> str:
        return self._read(name, default, lambda v: v, "string")

    def required_str(self, name: builtins.str) -> builtins.str:
        value = self.source.get(name, "").strip()
        if not value:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return value

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        def parse(value: str) -> bool:
            lowered = value.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError("expected one of 1/0, true/false, yes/no, on/off")

        return self._read(name, default, parse, "boolean")

    def int(self, name: builtins.str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        def parse(value: str) -> int:
            number = int(value)
            if minimum is not None and number < minimum:
                raise ValueError(f"must be at least {minimum}")
            if maximum is not None and number > maximum:
                raise ValueError(f"must be at most {maximum}")
            return number

        return self._read(name, default, parse, "integer")

    def float(
        self, name: builtins.str, default: float, *, minimum: float | None = None, maximum: float | None = None
    ) -> float:
        def parse(value: str) -> float:
            number = float(value)
            if number != number:  # NaN
                raise ValueError("not a number")
            if minimum is not None and number < minimum:
                raise ValueError(f"must be at least {minimum}")
            if maximum is not None and number > maximum:
                raise ValueError(f"must be at most {maximum}")
            return number

        return self._read(name, default, parse, "number")

    def list(self, name: builtins.str, default: list[builtins.str] | None = None) -> list[builtins.str]:
        def parse(value: str) -> list[str]:
            return [item.strip() for item in value.split(",") if item.strip()]

        return self._read(name, list(default or []), parse, "comma-separated list")

    def choice(self, name: builtins.str, default: builtins.str, choices: tuple[builtins.str, ...]) -> builtins.str:
        def parse(value: str) -> str:
            if value not in choices:
                raise ValueError(f"expected one of {', '.join(choices)}")
            return value

        return self._read(name, default, parse, "choice")

    def rate(self, name: builtins.str, default: builtins.str) -> builtins.str:
        """A request rate as DRF writes it: ``120/min`` (per s, min, hour or day)."""

        def parse(value: str) -> str:
            if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
                raise ValueError("expected a rate such as 120/min")
            return value

        return self._read(name, default, parse, "rate")

    def url(self, name: builtins.str, default: builtins.str, schemes: tuple[builtins.str, ...]) -> builtins.str:
        def parse(value: str) -> str:
            scheme, sep, rest = value.partition("://")
            if not sep or scheme not in schemes or not rest:
                raise ValueError(f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}")
            return value

        return self._read(name, default, parse, "URL")


# --- office hours ------------------------------------------------------------------------------------

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
    """The raw value if it parses, else ImproperlyConfigured naming the variable."""
    try:
        parse_office_hours(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not valid office hours: {exc}") from exc
    return raw


# --- SLA steps ---------------------------------------------------------------------------------------

SLA_STEP_NAMES = ("warning", "overdue", "escalated")
# Who a step may tell (``notifications.recipients`` resolves each to people):
# officer: the assigned officer, or the lead department's officers if nobody is assigned;
# officers: all of the lead department's officers; head: the lead department's head;
# leaders: the centre's supervising leaders (SLA_LEADERS, or every leader); dispatchers.
SLA_AUDIENCES = ("officer", "officers", "head", "leaders", "dispatchers")
DEFAULT_SLA_STEPS = "warning:officer;overdue:head;escalated:leaders"


def parse_sla_steps(name: str, value: str) -> dict[str, tuple[str, ...]]:
    """``"warning:officer;overdue:head+officer"`` → ``{"warning": ("officer",), ...}``."""
    steps: dict[str, tuple[str, ...]] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        step, sep, audiences = part.partition(":")
        step = step.strip()
        if not sep or step not in SLA_STEP_NAMES:
            raise ImproperlyConfigured(f"{name}: “{part}” is not step:audience (steps: {', '.join(SLA_STEP_NAMES)}).")
        if step in steps:
            raise ImproperlyConfigured(f"{name}: the step “{step}” is given twice.")
        names = tuple(a.strip() for a in audiences.split("+") if a.strip())
        unknown = [a for a in names if a not in SLA_AUDIENCES]
        if unknown:
            raise ImproperlyConfigured(
                f"{name}: unknown audience “{unknown[0]}” (audiences: {', '.join(SLA_AUDIENCES)})."
            )
        steps[step] = names
    return steps
