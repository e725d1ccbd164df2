"""Template filters of the field pages: colours and durations, no status literals."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from incidents.choices import CaseStatus
from patrols.choices import CoverageLevel

register = template.Library()


@register.filter
def status_colour(status: str) -> str:
    """The colour of a case status (``incidents.choices``)."""
    try:
        return CaseStatus(status).colour
    except ValueError:
        return "#909399"


@register.filter
def coverage_colour(level: str) -> str:
    return CoverageLevel(level).colour


@register.filter
def minutes(seconds) -> str:
    """Seconds as "1 h 05 min" / "12 min"."""
    total = int(seconds or 0) // 60
    hours, mins = divmod(total, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": mins}
    return _("%(minutes)d min") % {"minutes": mins}


@register.filter
def km(metres) -> str:
    metres = float(metres or 0)
    if metres < 1000:
        return _("%(metres)d m") % {"metres": round(metres)}
    return _("%(km).1f km") % {"km": metres / 1000}


@register.filter
def elapsed(patrol, now=None) -> int:
    """A patrol's duration in seconds (so far, for an open one)."""
    return patrol.elapsed_seconds(now)
