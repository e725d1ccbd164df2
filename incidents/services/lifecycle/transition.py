"""The sequence every step of a case goes through, written once.

``transition`` is the whole of a simple step: in one transaction it fetches the case with
``get_case_for_action`` (visibility checked, row locked), checks the rule of
``incidents.services.permissions`` (403 / 409), asks the step what it changes, and hands
that to ``commit_change``: set the fields, keep the SLA clock in step, save, write the
immutable timeline row (with photos) and publish ``case.<action>`` after commit. A step
that does more (dispatch, which may accept first; merge, which touches two cases) calls
``lock_for`` and ``commit_change`` itself, so no step writes this sequence again.

Photos are validated and re-encoded before the row is locked (the slow part stays out of
the lock) and deleted again if the step fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from departments.models import Department
from departments.selectors import officer_of
from gridcenter.photos import StoredPhoto
from incidents.choices import AttachmentKind, CaseAction
from incidents.models import Case, CaseEvent
from incidents.services import sla
from incidents.services.access import get_case_for_action
from incidents.services.events import announce, record_event, stored_photos
from incidents.services.permissions import check


@dataclass
class Change:
    """What a step does to the case: field values, and what its timeline row keeps."""

    fields: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    department: Department | None = None
    also_notify: tuple[int, ...] = ()  # department ids to tell besides the case's own
    starts_clock: bool = False  # a new SLA round starts (dispatch)
    assisting: Sequence[Department] | None = None  # the new assisting departments, if they change


def lock_for(actor, case: Case | int, action: CaseAction) -> tuple[Case, Role]:
    """The case, visibility-checked and locked, and the role the actor takes ``action`` in."""
    locked = get_case_for_action(actor, case)
    return locked, check(actor, locked, action)


def commit_change(
    actor,
    locked: Case,
    role: Role | None,
    action: CaseAction,
    change: Change,
    *,
    now: datetime,
    note: str = "",
    photos: Sequence[StoredPhoto] = (),
    photo_kind: AttachmentKind = AttachmentKind.HANDLING,
    publish: bool = True,
) -> CaseEvent:
    """Apply ``change`` to the locked case, save it and write its timeline row.

    ``publish=False`` records a step that is part of another one (the acceptance a
    dispatch from "reported" implies): only the step it belongs to is announced.
    """
    from_status = locked.status
    for name, value in change.fields.items():
        setattr(locked, name, value)
    clock = sla.start_clock(locked, now) if change.starts_clock else []
    clock += sla.sync(locked)
    locked.updated_at = now
    locked.save(update_fields=list(dict.fromkeys([*change.fields, *clock, "updated_at"])))
    if change.assisting is not None:
        locked.assisting_departments.set(change.assisting)
    event = record_event(
        locked,
        actor=actor,
        role=role,
        action=action,
        from_status=from_status,
        now=now,
        note=note,
        department=change.department,
        data=change.data,
        photos=photos,
        photo_kind=photo_kind,
    )
    if publish:
        announce(locked, event, department_ids=change.also_notify)
    return event


def transition(
    actor,
    case: Case | int,
    action: CaseAction,
    apply: Callable[[Case, Role], Change],
    *,
    now: datetime | None,
    note: str = "",
    photos: Sequence = (),
    photo_kind: AttachmentKind = AttachmentKind.HANDLING,
) -> Case:
    """One step: lock and check, ``apply`` (which says what changes), commit."""
    now = now or timezone.now()
    if photos:
        # Refuse before the expensive photo work, then check again under the lock.
        with transaction.atomic():
            check(actor, get_case_for_action(actor, case, lock=False), action)
    with stored_photos(photos) as stored, transaction.atomic():
        locked, role = lock_for(actor, case, action)
        change = apply(locked, role)
        commit_change(actor, locked, role, action, change, now=now, note=note, photos=stored, photo_kind=photo_kind)
    return locked


def acting_department(actor) -> Department | None:
    """The department an officer or head acts for (``None`` for anyone else)."""
    officer = officer_of(actor)
    return officer.department if officer else None
