"""Writing a case's timeline row (with its photos) and announcing it after commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from django.dispatch import Signal
from django.utils.translation import gettext as _

from accounts.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role, roles_of
from gridcenter import photos
from gridcenter.photos import StoredPhoto
from gridcenter.realtime import (
    CENTRE_GROUP,
    WALLSCREEN_GROUP,
    department_group,
    grid_group,
    is_muted,
    publish,
    user_group,
)
from incidents.choices import AttachmentKind, CaseAction, CaseStatus
from incidents.exceptions import CaseValidationError
from incidents.models import Attachment, Case, CaseEvent
from incidents.services.stage_limits import stage_facts


def stored_photos(uploads: Sequence | None):
    """``gridcenter.photos.stored_photos`` with bad photos reported as ``CaseValidationError``."""
    return photos.stored_photos(uploads, CaseValidationError)


def record_event(
    case: Case,
    *,
    actor,
    role: Role | None,
    action: CaseAction,
    from_status: str,
    now: datetime,
    note: str = "",
    department=None,
    data: dict[str, Any] | None = None,
    photos: Iterable[StoredPhoto] = (),
    photo_kind: AttachmentKind = AttachmentKind.HANDLING,
) -> CaseEvent:
    """Write the immutable timeline row of one step (and attach its photos)."""
    # A step that ends one of the centre's own stages keeps how long it took (late or not).
    data = {**(data or {}), **stage_facts(case, action, from_status, now)}
    event = CaseEvent.objects.create(
        case=case,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=role.value if role else "",
        department=department,
        action=action,
        from_status=from_status,
        to_status=case.status,
        note=note,
        data=data,
        created_at=now,
    )
    photos = list(photos)
    if photos:
        Attachment.objects.bulk_create(
            Attachment(
                case=case,
                event=event,
                kind=photo_kind,
                file=photo.file,
                thumbnail=photo.thumbnail,
                width=photo.width,
                height=photo.height,
                size=photo.size,
                uploaded_by=event.actor,
                created_at=now,
            )
            for photo in photos
        )
    return event


# Sent inside the step's transaction with ``events``: a list of (case, timeline row) pairs,
# one per step (the SLA sweep sends a batch at once). The notifications app listens.
case_events_recorded = Signal()


def audience(case, *, assisting: Iterable[int] = (), departments: Iterable[int] = ()) -> list[str]:
    """The groups that hear a case's events: the one rule for every step and the SLA sweep.

    The wall screen and the centre, the case's grid, its lead and ``assisting`` departments
    (and any others in ``departments``, e.g. the one a redispatch took it from: the step that
    takes the case out of their inbox), and the reporter. Who listens to which group is
    ``listening_groups``; both follow ``Case.objects.visible_to``.
    ``case`` is a ``Case`` or anything with its ``grid_id``, ``lead_department_id`` and
    ``reporter_id`` (the sweep's rows).
    """
    department_ids = {*departments, *assisting}
    if case.lead_department_id:
        department_ids.add(case.lead_department_id)
    groups = [WALLSCREEN_GROUP, CENTRE_GROUP, grid_group(case.grid_id)]
    groups += [department_group(pk) for pk in sorted(department_ids)]
    if case.reporter_id:
        groups.append(user_group(case.reporter_id))
    return groups


def listening_groups(user) -> list[str]:
    """The groups of case events a user's own socket (``/ws/user/``) joins, as
    ``Case.objects.visible_to`` decides: the centre (which sees every case) its group; a
    department officer or head their departments' groups (the cases they lead or assist);
    a grid worker their grids' groups; everyone with a role the cases they reported (their
    ``user.<id>`` group, which the socket always joins). Nobody hears another department's
    or grid's cases."""
    from departments.models import Officer
    from grids.models import GridWorker

    roles = roles_of(user)
    if roles & CENTRE_ROLES:
        return [CENTRE_GROUP]
    groups: list[str] = []
    if roles & DEPARTMENT_ROLES:
        departments = Officer.objects.filter(user=user).values_list("department_id", flat=True)
        groups += [department_group(pk) for pk in sorted(departments)]
    if Role.GRID_WORKER in roles:
        grids = GridWorker.grids.through.objects.filter(gridworker__user=user).values_list("grid_id", flat=True)
        groups += [grid_group(pk) for pk in sorted(set(grids))]
    return groups


def assisting_ids(case_ids: Iterable[int]) -> dict[int, list[int]]:
    """The assisting departments of each case, in one query."""
    found: dict[int, list[int]] = {}
    rows = Case.assisting_departments.through.objects.filter(case_id__in=list(case_ids))
    for case_id, department_id in rows.values_list("case_id", "department_id"):
        found.setdefault(case_id, []).append(department_id)
    return found


def announce(case: Case, event: CaseEvent, *, department_ids: Iterable[int] | None = None) -> None:
    """Publish ``case.<action>`` after commit to the case's ``audience``.

    Listeners of ``case_events_recorded`` (notifications) hear it first.
    """
    case_events_recorded.send(sender=Case, events=[(case, event)])
    if is_muted():  # a bulk load nobody watches: not even the audiences' query
        return
    assisting = assisting_ids([case.pk]).get(case.pk, []) if case.pk and case.status != CaseStatus.REPORTED else []
    groups = audience(case, assisting=assisting, departments=department_ids or ())
    publish(groups, f"case.{event.action}", event_payload(case, event))


class PayloadCase(Protocol):
    """What an event's data reads of its case: a ``Case``, or the SLA sweep's ``DueCase``."""

    @property
    def pk(self) -> Any: ...
    @property
    def tracking_no(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def grid_id(self) -> int: ...
    @property
    def lead_department_id(self) -> int | None: ...
    @property
    def reporter_id(self) -> int | None: ...


class PayloadEvent(Protocol):
    """What an event's data reads of its timeline row: a ``CaseEvent``, or the sweep's ``SweepEvent``."""

    @property
    def action(self) -> str: ...
    @property
    def from_status(self) -> str: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...


def event_payload(case: PayloadCase, event: PayloadEvent) -> dict[str, Any]:
    """The data of a ``case.<action>`` event (README, "Realtime events")."""
    return {
        "case": case.pk,
        "tracking_no": case.tracking_no,
        "action": event.action,
        "from_status": event.from_status,
        "status": case.status,
        "grid": case.grid_id,
        "lead_department": case.lead_department_id,
        "reporter": case.reporter_id,
        "actor": event.actor_id,
        "at": event.created_at.isoformat(),
    }


def require_text(field: str, value: str, message: str | None = None) -> str:
    """A required free-text input (a reason, a note), stripped; 400 when blank."""
    value = (value or "").strip()
    if not value:
        raise CaseValidationError.field(field, message or _("This field is required."))
    if len(value) > 2000:
        raise CaseValidationError.field(field, _("At most 2000 characters."))
    return value


def optional_text(field: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > 2000:
        raise CaseValidationError.field(field, _("At most 2000 characters."))
    return value
