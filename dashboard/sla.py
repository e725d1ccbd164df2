"""How a case stands against its deadline, as the wall screen shows it: the ONE place.

The SLA state is decided by the incidents domain (``incidents.services.sla``): a case is
overdue when a department holds it past its deadline and it is not on hold (挂账). The
wall screen flags the overdue ones (red) and those in their warning time (yellow); every
marker, list and count follows this module.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper

from incidents import sla
from incidents.choices import SlaLevel
from incidents.models import Case, CaseQuerySet


def sla_level(case: Case, now: datetime) -> SlaLevel | None:
    """The SLA level of one case to flag: warning (yellow) or overdue (red); ``None``: nothing to flag."""
    level = sla.level_at(case, now)
    return level if level in (SlaLevel.WARNING, SlaLevel.OVERDUE) else None


def in_warning(now: datetime) -> ExpressionWrapper:
    """A boolean column: the case is in its warning time (yellow) at ``now``."""
    return ExpressionWrapper(sla.warning_q(now), output_field=BooleanField())


def overdue_cases(now: datetime) -> CaseQuerySet:
    """The cases whose level is ``OVERDUE`` (an indexed query: the due-deadline index)."""
    return Case.objects.filter(sla.overdue_q(now))
