"""Parsing the SLA settings (pure: read by gridcenter/settings.py before apps load).

``SLA_STEPS`` says which steps the clock takes and whom each tells, e.g.
``warning:officer;overdue:head;escalated:leaders``. A step left out is not taken; a step
with no audience (``escalated:``) is taken (its timeline row is written) and tells nobody.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

STEPS = ("warning", "overdue", "escalated")
# Who a step may tell (notifications.recipients resolves each to people):
# officer: the assigned officer, or the lead department's officers if nobody is assigned;
# officers: all of the lead department's officers; head: the lead department's head;
# leaders: the centre's supervising leaders (SLA_LEADERS, or every leader); dispatchers.
AUDIENCES = ("officer", "officers", "head", "leaders", "dispatchers")
DEFAULT_STEPS = "warning:officer;overdue:head;escalated:leaders"


def parse_sla_steps(name: str, value: str) -> dict[str, tuple[str, ...]]:
    """``"warning:officer;overdue:head+officer"`` → ``{"warning": ("officer",), ...}``."""
    steps: dict[str, tuple[str, ...]] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        step, sep, audiences = part.partition(":")
        step = step.strip()
        if not sep or step not in STEPS:
            raise ImproperlyConfigured(f"{name}: “{part}” is not step:audience (steps: {', '.join(STEPS)}).")
        if step in steps:
            raise ImproperlyConfigured(f"{name}: the step “{step}” is given twice.")
        names = tuple(a.strip() for a in audiences.split("+") if a.strip())
        unknown = [a for a in names if a not in AUDIENCES]
        if unknown:
            raise ImproperlyConfigured(f"{name}: unknown audience “{unknown[0]}” (audiences: {', '.join(AUDIENCES)}).")
        steps[step] = names
    return steps
