"""Typed readers for environment variables.

Every setting comes from the environment (12-factor). A malformed value stops the
process at start-up with a message naming the variable, instead of being guessed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
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

    def str(self, name: str, default: str = "") -> str:
        return self._read(name, default, lambda v: v, "string")

    def required_str(self, name: str) -> str:
        value = self.source.get(name, "").strip()
        if not value:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return value

    def bool(self, name: str, default: bool = False) -> bool:
        def parse(value: str) -> bool:
            lowered = value.lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError("expected one of 1/0, true/false, yes/no, on/off")

        return self._read(name, default, parse, "boolean")

    def int(self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
        def parse(value: str) -> int:
            number = int(value)
            if minimum is not None and number < minimum:
                raise ValueError(f"must be at least {minimum}")
            if maximum is not None and number > maximum:
                raise ValueError(f"must be at most {maximum}")
            return number

        return self._read(name, default, parse, "integer")

    def float(self, name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
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

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        def parse(value: str) -> list[str]:
            return [item.strip() for item in value.split(",") if item.strip()]

        return self._read(name, list(default or []), parse, "comma-separated list")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        def parse(value: str) -> str:
            if value not in choices:
                raise ValueError(f"expected one of {', '.join(choices)}")
            return value

        return self._read(name, default, parse, "choice")

    def rate(self, name: str, default: str) -> str:
        """A request rate as DRF writes it: ``120/min`` (per s, min, hour or day)."""

        def parse(value: str) -> str:
            if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
                raise ValueError("expected a rate such as 120/min")
            return value

        return self._read(name, default, parse, "rate")

    def url(self, name: str, default: str, schemes: tuple[str, ...]) -> str:
        def parse(value: str) -> str:
            scheme, sep, rest = value.partition("://")
            if not sep or scheme not in schemes or not rest:
                raise ValueError(f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}")
            return value

        return self._read(name, default, parse, "URL")
