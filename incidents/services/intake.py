"""Intake: a new case from a grid worker's phone, the hotline, a camera, a leader, a department.

``report_case`` is idempotent on the phone's ``client_uuid``: a report sent again (weak
signal, a retry) returns the case the first one created, also when both arrive at the
same time (the unique index decides; the loser fetches the winner's case).
"""

from __future__ import annotations

import math
import uuid as uuid_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ROLE_PRECEDENCE, Role, roles_of
from gridcenter.idempotency import create_once, find_by_key, parse_key
from gridcenter.photos import delete_stored
from grids.services import locate, make_point
from incidents.choices import AttachmentKind, CaseAction, CaseSource, CaseStatus, Urgency
from incidents.exceptions import CasePermissionDenied, CaseValidationError
from incidents.models import Case, NextTrackingNo, SubCategory
from incidents.services.events import announce, optional_text, record_event, require_text, stored_photos

# Which sources each role may file a case under; the first is the role's default.
REPORT_SOURCES: dict[Role, tuple[CaseSource, ...]] = {
    Role.GRID_WORKER: (CaseSource.GRID_WORKER,),
    Role.DISPATCHER: (
        CaseSource.HOTLINE,
        CaseSource.RESIDENT,
        CaseSource.CAMERA,
        CaseSource.LEADER,
        CaseSource.DEPARTMENT,
    ),
    Role.ADMIN: (CaseSource.HOTLINE, CaseSource.RESIDENT, CaseSource.CAMERA, CaseSource.LEADER, CaseSource.DEPARTMENT),
    Role.DEPT_HEAD: (CaseSource.DEPARTMENT,),
    Role.OFFICER: (CaseSource.DEPARTMENT,),
    Role.LEADER: (CaseSource.LEADER,),
}
# Sources whose reporter is someone outside the platform (their contact is kept privately).
EXTERNAL_SOURCES = frozenset({CaseSource.HOTLINE, CaseSource.RESIDENT})


@dataclass(frozen=True)
class ReportResult:
    case: Case
    created: bool  # False: this client_uuid had been reported before; ``case`` is the first one


def reporting_role(actor, source: CaseSource | str | None) -> tuple[Role | None, CaseSource]:
    """The role ``actor`` reports in and the case's source; raises ``CasePermissionDenied``.

    Without an actor (a resident on a public form) only the source "resident" is possible.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        if source in (None, CaseSource.RESIDENT):
            return None, CaseSource.RESIDENT
        raise CasePermissionDenied(_("Sign in to report a case."))
    held = roles_of(actor)
    for role in ROLE_PRECEDENCE:
        if role not in held:
            continue
        allowed = REPORT_SOURCES[role]
        if source is None:
            return role, allowed[0]
        if source in allowed:
            return role, CaseSource(source)
    if source is not None and source not in CaseSource.values:
        raise CaseValidationError.field("source", _("Unknown source."))
    raise CasePermissionDenied(_("Your role may not report a case from this source."))


def _subcategory(value: SubCategory | str) -> SubCategory:
    if isinstance(value, SubCategory):
        if not value.is_active:
            raise CaseValidationError.field("subcategory", _("This sub-item is no longer in use."))
        return value
    sub = SubCategory.objects.filter(code=str(value).strip(), is_active=True, major__is_active=True).first()
    if sub is None:
        raise CaseValidationError.field("subcategory", _("Unknown sub-item “%(code)s”.") % {"code": value})
    return sub


def _coordinate(field: str, value, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CaseValidationError.field(field, _("A number is required.")) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise CaseValidationError.field(
            field, _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return number


def _existing(client_uuid, actor) -> Case | None:
    """The case an earlier submission of this report created, if it is the actor's."""
    submitter_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def is_own(case: Case) -> bool:
        return case.events.filter(action=CaseAction.REPORT).values_list("actor_id", flat=True).first() == submitter_id

    return find_by_key(
        Case.objects.select_related("grid__community__township", "subcategory"),
        client_uuid,
        is_own=is_own,
        error=CaseValidationError,
        message=_("This key belongs to another report."),
    )


@dataclass(frozen=True)
class _Report:
    """A report's checked input, ready to be written."""

    role: Role | None
    source: CaseSource
    subcategory: SubCategory
    description: str
    lat: float
    lng: float
    address: str
    urgency: str | None
    reporter_name: str
    reporter_phone: str


def _checked(actor, *, source, subcategory, description, lat, lng, address, urgency, reporter_name, reporter_phone):
    role, source = reporting_role(actor, source)
    description = require_text("description", description)
    address = optional_text("address", address)[:200]
    lat = _coordinate("lat", lat, -90, 90)
    lng = _coordinate("lng", lng, -180, 180)
    if urgency is not None and urgency not in Urgency.values:
        raise CaseValidationError.field("urgency", _("Unknown urgency."))
    return _Report(
        role=role,
        source=source,
        subcategory=_subcategory(subcategory),
        description=description,
        lat=lat,
        lng=lng,
        address=address,
        urgency=urgency,
        reporter_name=reporter_name.strip()[:50],
        reporter_phone=reporter_phone.strip()[:32],
    )


def _insert(actor, report: _Report, grid, client_uuid, photos, now: datetime) -> Case:
    """Write the case and its first timeline row (with the "before" photos); announce it."""
    external = report.source in EXTERNAL_SOURCES
    case = Case(
        source=report.source,
        subcategory=report.subcategory,
        description=report.description,
        location=make_point(report.lat, report.lng),
        address=report.address,
        grid=grid,
        reporter=None if external or report.role is None else actor,
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        client_uuid=client_uuid,
        urgency=report.urgency or report.subcategory.urgency,
        status=CaseStatus.REPORTED,
        created_at=now,
        updated_at=now,
        tracking_no=NextTrackingNo(now),  # numbered by the INSERT itself
    )
    case.save(force_insert=True)
    event = record_event(
        case,
        actor=actor,
        role=report.role,
        action=CaseAction.REPORT,
        from_status="",
        now=now,
        photos=photos,
        photo_kind=AttachmentKind.BEFORE,
        # The sub-item as reported: a later reclassification is on its own row (accept, dispatch).
        data={"source": report.source.value, "subcategory": report.subcategory.code},
    )
    announce(case, event)
    return case


def report_case(
    actor,
    *,
    subcategory: SubCategory | str,
    description: str,
    lat: float,
    lng: float,
    address: str = "",
    client_uuid: uuid_module.UUID | str | None = None,
    source: CaseSource | str | None = None,
    urgency: Urgency | str | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence = (),
    now: datetime | None = None,
) -> ReportResult:
    """File a new case (status "reported") at a WGS-84 point, located in its grid.

    ``photos`` are uploaded files or bytes (the "before" photos). Raises
    ``CaseValidationError`` (bad input, a point outside the city's grids, a bad photo)
    and ``CasePermissionDenied`` (a role that may not report from ``source``); the same
    ``client_uuid`` again returns the first case with ``created=False``.
    """
    now = now or timezone.now()
    report = _checked(
        actor,
        source=source,
        subcategory=subcategory,
        description=description,
        lat=lat,
        lng=lng,
        address=address,
        urgency=urgency,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
    )
    client_uuid = parse_key(client_uuid, CaseValidationError)
    if photos:  # re-encoding photos is the expensive part: skip it for a resubmission
        existing = _existing(client_uuid, actor)
        if existing is not None:
            return ReportResult(existing, created=False)
    grid = locate(report.lat, report.lng)
    if grid is None:
        raise CaseValidationError.field("location", _("This point is outside the city's grids."))
    with stored_photos(photos) as stored:
        case, created = create_once(
            client_uuid,
            find=lambda: _existing(client_uuid, actor),
            create=lambda: _insert(actor, report, grid, client_uuid, stored, now),
            discard=lambda: delete_stored(stored),
            look_first=False,
        )
    return ReportResult(case, created=created)
