"""The wall screen's five figures, now or as of the end of a past day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from incidents.choices import figures_from_counts
from incidents.models import Case, CaseEvent


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in the local time zone (Asia/Shanghai)."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def summary(user, at: date | None = None) -> dict[str, int]:
    """``{"received", "closed", "pending_review", "in_progress", "other"}`` over the cases
    ``user`` may see: now, or with ``at`` as of the end of that day, rebuilt from the
    timeline (each case counted in the status its last timeline row up to then left it in).
    """
    cases = Case.objects.visible_to(user)
    if at is None:
        rows = cases.order_by().values("status").annotate(n=Count("id"))
        return figures_from_counts({row["status"]: row["n"] for row in rows})
    until = end_of_day(at)
    status_then = (
        CaseEvent.objects.filter(case=OuterRef("pk"), created_at__lt=until)
        .order_by("-created_at", "-id")
        .values("to_status")[:1]
    )
    rows = (
        cases.filter(created_at__lt=until)
        .annotate(status_then=Subquery(status_then))
        .order_by()
        .values("status_then")
        .annotate(n=Count("id"))
    )
    return figures_from_counts({row["status_then"]: row["n"] for row in rows if row["status_then"]})
