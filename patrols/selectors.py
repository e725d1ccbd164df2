"""Read-only questions the phone pages and the API both ask (one place for each)."""

from __future__ import annotations

from django.db.models import QuerySet

from grids.selectors import grid_ids_of
from incidents.choices import CaseStatus
from incidents.models import Case
from patrols.choices import ERRAND_MAJOR_CODE, PatrolStatus, Urgency
from patrols.models import DirectiveRecipient, Patrol


def cases_to_verify(user) -> QuerySet[Case]:
    """Resolved cases in the worker's grids that nobody has checked on site yet (核查)."""
    return (
        Case.objects.visible_to(user)
        .filter(status=CaseStatus.RESOLVED, verified_at__isnull=True, grid_id__in=grid_ids_of(user))
        .select_related("subcategory", "grid")
        .order_by("resolved_at", "id")
    )


def my_reports(user, *, errands: bool | None = None) -> QuerySet[Case]:
    """The cases the user reported; ``errands`` keeps (True) or leaves out (False) 代办 ones."""
    cases = Case.objects.visible_to(user).filter(reporter=user).select_related("subcategory", "grid")
    if errands is True:
        cases = cases.filter(subcategory__major__code=ERRAND_MAJOR_CODE)
    elif errands is False:
        cases = cases.exclude(subcategory__major__code=ERRAND_MAJOR_CODE)
    return cases.order_by("-created_at", "-id")


def active_patrol(user) -> Patrol | None:
    return Patrol.objects.filter(worker=user, status=PatrolStatus.ACTIVE).select_related("grid").first()


def inbox(user) -> QuerySet[DirectiveRecipient]:
    """The directives sent to the user, newest first, with their receipt."""
    return (
        DirectiveRecipient.objects.filter(worker=user)
        .select_related("directive__sender")
        .order_by("-directive__sent_at", "-directive_id")
    )


def unread_count(user) -> int:
    return DirectiveRecipient.objects.filter(worker=user, read_at__isnull=True).count()


def unread_urgent() -> QuerySet[DirectiveRecipient]:
    """Who has not read an urgent directive yet, oldest directive first (for the centre)."""
    return (
        DirectiveRecipient.objects.filter(directive__urgency=Urgency.URGENT, read_at__isnull=True)
        .select_related("directive", "worker__grid_worker")
        .order_by("directive__sent_at", "worker__username")
    )
