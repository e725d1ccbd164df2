"""How a case stands against its deadline, as the wall screen shows it: the ONE place.

For now a case is "overdue" when a department holds it past its deadline (the rule of
``Case.is_overdue`` and ``Case.objects.overdue``); the SLA issue adds the warning level
(yellow) here, and every marker, list and count of the wall screen follows.
"""

from __future__ import annotations

from datetime import datetime

from dashboard.choices import SlaLevel
from incidents.models import Case, CaseQuerySet


def sla_level(case: Case, now: datetime) -> SlaLevel | None:
    """The SLA level of one case (``None``: nothing to flag)."""
    return SlaLevel.OVERDUE if case.is_overdue(now) else None


def overdue_cases(now: datetime) -> CaseQuerySet:
    """The cases whose level is ``OVERDUE`` (an indexed query: the due-deadline index)."""
    return Case.objects.overdue(now)
