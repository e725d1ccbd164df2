"""Duplicate reports: suggesting the open case a new report repeats, and merging it into it.

Two people often report the same overflowing bin. ``duplicate_candidates`` finds the open
cases of the same sub-item within the sub-item's radius (``SubCategory.duplicate_radius_m``)
reported up to ``CASE_DUPLICATE_DAYS`` days before the report; the console offers them.
``merge_case`` is the centre's step that closes the report as a duplicate: it is rejected
(terminal) with ``duplicate_of`` pointing at the original, both cases get a timeline row,
and the report's reporter (and followers) follow the original, so they can see how it
ends (``Case.objects.visible_to`` includes followed cases).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import CaseAction, CaseStatus
from incidents.exceptions import CaseNotFound, CaseValidationError
from incidents.models import Case
from incidents.services.access import get_case_for_action
from incidents.services.events import optional_text
from incidents.services.lifecycle.transition import Change, commit_change
from incidents.services.permissions import RULES, check

METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Candidate:
    case: Case
    distance_m: float


def _bbox(case: Case, radius_m: float) -> Polygon:
    """A box around the case's point that contains its radius (for the GiST index)."""
    dlat = radius_m / METRES_PER_DEGREE
    dlng = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(case.lat)), 0.01))
    return Polygon.from_bbox((case.lng - dlng, case.lat - dlat, case.lng + dlng, case.lat + dlat))


def duplicate_candidates(case: Case, *, limit: int = 5, days: int | None = None) -> list[Candidate]:
    """Open cases this report may repeat, nearest first (none for a case that is not new).

    Same sub-item, within the sub-item's radius, reported before this one and at most
    ``days`` (``CASE_DUPLICATE_DAYS``) earlier, not closed, rejected or itself a duplicate.
    """
    if case.status not in RULES[CaseAction.MERGE].sources:
        return []
    radius = case.subcategory.duplicate_radius_m
    since = case.created_at - timedelta(days=days or settings.CASE_DUPLICATE_DAYS)
    nearby = (
        Case.objects.filter(
            subcategory_id=case.subcategory_id,
            status__in=CaseStatus.ACTIVE,
            created_at__gte=since,
            created_at__lte=case.created_at,
            location__bboverlaps=_bbox(case, radius),
        )
        .exclude(pk=case.pk)
        .annotate(distance=Distance("location", case.location))
        .select_related("subcategory", "grid", "lead_department")
        .order_by("distance", "created_at")
    )
    found = []
    for other in nearby[: limit * 4]:
        if other.distance.m <= radius:
            found.append(Candidate(other, round(other.distance.m, 1)))
    return found[:limit]


def candidates_for(cases: Iterable[Case], **kwargs) -> dict[int, list[Candidate]]:
    """``duplicate_candidates`` for each of a page of cases (one query each)."""
    return {case.pk: duplicate_candidates(case, **kwargs) for case in cases}


def _lock_both(actor, case: Case | int, into: Case | int) -> tuple[Case, Case]:
    """Both cases, visibility-checked and locked in id order (two merges never deadlock)."""
    ids = {"case": case.pk if isinstance(case, Case) else case, "into": into.pk if isinstance(into, Case) else into}
    try:
        ids = {key: int(value) for key, value in ids.items()}
    except (TypeError, ValueError):
        raise CaseNotFound(_("No such case.")) from None
    if ids["case"] == ids["into"]:
        raise CaseValidationError.field("into", _("A case cannot be merged into itself."))
    locked = {}
    for key in sorted(ids, key=lambda key: ids[key]):
        try:
            locked[key] = get_case_for_action(actor, ids[key])
        except CaseNotFound:
            if key == "into":
                raise CaseValidationError.field("into", _("No such case.")) from None
            raise
    return locked["case"], locked["into"]


def merge_case(actor, case: Case | int, *, into: Case | int, note: str = "", now: datetime | None = None) -> Case:
    """Close a new report as a duplicate of the open case ``into`` (the centre's step).

    The report becomes "rejected" with ``duplicate_of = into`` and a reason naming the
    original; both cases get a ``merge`` timeline row; the report's reporter and followers
    follow the original. Raises ``CaseValidationError`` (field ``into``) when the original
    is not an open case, and the usual 403/404/409 errors.
    """
    note = optional_text("note", note)
    now = now or timezone.now()
    with transaction.atomic():
        duplicate, original = _lock_both(actor, case, into)
        role = check(actor, duplicate, CaseAction.MERGE)
        if original.status not in CaseStatus.ACTIVE:
            raise CaseValidationError.field("into", _("Only an open case can take in a duplicate."))
        if original.duplicate_of_id is not None:
            raise CaseValidationError.field("into", _("That case is itself a duplicate."))
        reason = note or _("Duplicate of %(tracking_no)s.") % {"tracking_no": original.tracking_no}
        closed = Change(
            {"status": CaseStatus.REJECTED, "duplicate_of": original, "reject_reason": reason},
            {"into": original.tracking_no, "into_id": original.pk},
        )
        commit_change(actor, duplicate, role, CaseAction.MERGE, closed, now=now, note=reason)

        followers = set(duplicate.followers.values_list("pk", flat=True))
        if duplicate.reporter_id:
            followers.add(duplicate.reporter_id)
        followers.discard(original.reporter_id)
        if followers:
            original.followers.add(*followers)
        taken_in = Change({}, {"duplicate": duplicate.tracking_no, "duplicate_id": duplicate.pk})
        commit_change(actor, original, role, CaseAction.MERGE, taken_in, now=now, note=note)
    return duplicate
