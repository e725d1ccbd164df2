"""The case lifecycle: one function per step (DESIGN.md, "The case lifecycle").

Each function takes the actor and the case (or its id) and, in one transaction: fetches
the case with ``get_case_for_action`` (visibility checked, row locked), checks the rule
of ``incidents.services.permissions`` (403 / 409), changes the case, writes the immutable
timeline row (with photos) and publishes ``case.<action>`` after commit. Each takes a
``now`` (default: the current time) so a generated history and tests can act at chosen
instants. Views, the API, admin, tasks and commands call these; nothing else changes
``Case.status``.

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
from django.utils.translation import gettext as _

from accounts.roles import Role
from departments.models import Department, Officer
from departments.selectors import officer_of
from incidents.choices import AttachmentKind, CaseAction, CaseStatus, Satisfaction
from incidents.exceptions import CaseValidationError
from incidents.models import Case, SubCategory
from incidents.services import sla
from incidents.services.access import get_case_for_action
from incidents.services.events import announce, optional_text, record_event, require_text, stored_photos
from incidents.services.permissions import check
from worktime import calendar


@dataclass
class Change:
    """What a step does to the case: field values, and what its timeline row keeps."""

    fields: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    department: Department | None = None
    also_notify: tuple[int, ...] = ()  # department ids to tell besides the case's own


def _transition(
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
    now = now or timezone.now()
    if photos:
        # Refuse before the expensive photo work, then check again under the lock.
        with transaction.atomic():
            check(actor, get_case_for_action(actor, case, lock=False), action)
    with stored_photos(photos) as stored, transaction.atomic():
        locked = get_case_for_action(actor, case)
        role = check(actor, locked, action)
        from_status = locked.status
        change = apply(locked, role)
        for name, value in change.fields.items():
            setattr(locked, name, value)
        clock = sla.sync(locked)
        locked.updated_at = now
        locked.save(update_fields=list(dict.fromkeys([*change.fields, *clock, "updated_at"])))
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
            photos=stored,
            photo_kind=photo_kind,
        )
        announce(locked, event, department_ids=change.also_notify)
    return locked


def _acting_department(actor) -> Department | None:
    officer = officer_of(actor)
    return officer.department if officer else None


# --- the centre: accept, reject, dispatch, approve, reopen ----------------------------------------------


def accept_case(
    actor, case: Case | int, *, subcategory: SubCategory | None = None, note: str = "", now: datetime | None = None
) -> Case:
    """立案: the centre registers a reported case (optionally reclassifying its sub-item)."""
    note = optional_text("note", note)
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        fields: dict[str, Any] = {"status": CaseStatus.REGISTERED, "accepted_at": now_}
        data = {}
        if subcategory is not None and subcategory.pk != case.subcategory_id:
            fields.update(subcategory=subcategory, urgency=subcategory.urgency)
            data["subcategory"] = subcategory.code
        return Change(fields, data)

    return _transition(actor, case, CaseAction.ACCEPT, apply, now=now_, note=note)


def reject_case(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> Case:
    """不予立案: the centre rejects a report (duplicate, invalid, out of scope) with a reason."""
    reason = require_text("reason", reason, _("Give the reason for rejecting the case."))

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.REJECTED, "reject_reason": reason})

    return _transition(actor, case, CaseAction.REJECT, apply, now=now, note=reason)


def dispatch_case(
    actor,
    case: Case | int,
    *,
    department: Department | None = None,
    assisting: Sequence[Department] = (),
    note: str = "",
    officer=None,
    subcategory: SubCategory | None = None,
    now: datetime | None = None,
) -> Case:
    """派遣: the centre sends a case to a lead department (+ assisting ones), with a deadline.

    ``department`` defaults to the sub-item's lead department (the suggestion). From
    "reported" the case is accepted and dispatched at once (two timeline rows); from
    "returned" it is dispatched again (redispatch), possibly elsewhere. The deadline is
    the sub-item's time limit counted from ``now`` on the working-time calendar, and is
    kept on the case with the limit it came from. ``officer`` (a user or an ``Officer``
    of the lead department) assigns the case to a person at once.
    """
    note = optional_text("note", note)
    now = now or timezone.now()
    if department is not None and not department.is_active:
        raise CaseValidationError.field("department", _("This department is not active."))
    assisting = list(dict.fromkeys(assisting))
    if any(not dept.is_active for dept in assisting):
        raise CaseValidationError.field("assisting", _("An assisting department is not active."))

    with transaction.atomic():
        locked = get_case_for_action(actor, case)
        role = check(actor, locked, CaseAction.DISPATCH)
        sub = subcategory or locked.subcategory
        lead = department or sub.lead_department
        if lead in assisting:
            raise CaseValidationError.field("assisting", _("The lead department cannot also assist."))
        officer_user = _officer_user(officer, lead)
        previous_lead = locked.lead_department_id
        previous_assisting = list(locked.assisting_departments.values_list("id", flat=True))

        if locked.status == CaseStatus.REPORTED:  # accept and dispatch at once
            locked.status = CaseStatus.REGISTERED
            locked.accepted_at = now
            locked.updated_at = now
            locked.save(update_fields=["status", "accepted_at", "updated_at"])
            record_event(
                locked, actor=actor, role=role, action=CaseAction.ACCEPT, from_status=CaseStatus.REPORTED, now=now
            )

        due = calendar.deadline(now, sub.limit_amount, sub.limit_unit)
        from_status = locked.status
        locked.status = CaseStatus.DISPATCHED
        locked.subcategory = sub
        if subcategory is not None:
            locked.urgency = sub.urgency
        locked.lead_department = lead
        locked.assigned_officer = officer_user
        locked.dispatched_at = now
        locked.deadline = due.deadline
        locked.deadline_provisional = due.provisional
        locked.time_limit_amount = sub.limit_amount
        locked.time_limit_unit = sub.limit_unit
        clock = sla.start_clock(locked, now) + sla.sync(locked)
        locked.updated_at = now
        locked.save(
            update_fields=[
                *clock,
                "status",
                "subcategory",
                "urgency",
                "lead_department",
                "assigned_officer",
                "dispatched_at",
                "deadline",
                "deadline_provisional",
                "time_limit_amount",
                "time_limit_unit",
                "updated_at",
            ]
        )
        locked.assisting_departments.set(assisting)
        event = record_event(
            locked,
            actor=actor,
            role=role,
            action=CaseAction.DISPATCH,
            from_status=from_status,
            now=now,
            note=note,
            data={
                "department": lead.code,
                "assisting": [dept.code for dept in assisting],
                "officer": officer_user.pk if officer_user else None,
                "subcategory": sub.code,
                "deadline": due.deadline.isoformat(),
                "provisional": due.provisional,
                "time_limit": [str(sub.limit_amount), sub.limit_unit],
                "redispatch": from_status == CaseStatus.RETURNED,
            },
        )
        others = tuple(pk for pk in [previous_lead, *previous_assisting] if pk)
        announce(locked, event, department_ids=others)
    return locked


def _officer_user(officer, department: Department):
    """The user behind ``officer`` (a user or an ``Officer``), checked to work for ``department``."""
    if officer is None:
        return None
    user = officer.user if isinstance(officer, Officer) else officer
    if not Officer.objects.filter(user=user, department=department).exists():
        raise CaseValidationError.field("officer", _("This person is not an officer of the lead department."))
    return user


def approve_case(
    actor,
    case: Case | int,
    *,
    note: str = "",
    satisfaction: Satisfaction | str | None = None,
    now: datetime | None = None,
) -> Case:
    """办结销号: the centre approves a resolved case and closes it (with the resident's satisfaction)."""
    note = optional_text("note", note)
    if satisfaction not in (None, "") and satisfaction not in Satisfaction.values:
        raise CaseValidationError.field("satisfaction", _("Unknown satisfaction."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        fields: dict[str, Any] = {"status": CaseStatus.CLOSED, "closed_at": now_}
        if satisfaction:
            fields["satisfaction"] = satisfaction
        return Change(fields, {"satisfaction": satisfaction} if satisfaction else {})

    return _transition(actor, case, CaseAction.APPROVE, apply, now=now_, note=note)


def reopen_case(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> Case:
    """返工: the centre finds the fix wanting and sends the case back (a rework is counted).

    A case a department resolved goes back to it "in progress", against its original
    deadline (the SLA clock runs again: a fix that comes late counts as late); a case a
    grid worker solved on the spot (no department yet) goes back to "registered", for the
    centre to dispatch.
    """
    reason = require_text("reason", reason, _("Give the reason for reopening the case."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        fields: dict[str, Any] = {
            "rework_count": case.rework_count + 1,
            "resolved_at": None,
            "verified_at": None,
            "verified_by": None,
        }
        if case.lead_department_id is None:
            fields["status"] = CaseStatus.REGISTERED
            return Change(fields)
        fields["status"] = CaseStatus.IN_PROGRESS
        data = {"deadline": case.deadline.isoformat()} if case.deadline else {}
        return Change(fields, data, department=case.lead_department)

    return _transition(actor, case, CaseAction.REOPEN, apply, now=now_, note=reason)


# --- the lead department: assign, start, return, resolve -------------------------------------------------


def assign_case(actor, case: Case | int, *, officer, note: str = "", now: datetime | None = None) -> Case:
    """The lead department's head (or the centre) gives the case to one of its officers."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        user = _officer_user(officer, case.lead_department)
        return Change({"assigned_officer": user}, {"officer": user.pk}, department=case.lead_department)

    return _transition(actor, case, CaseAction.ASSIGN, apply, now=now, note=note)


def start_case(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> Case:
    """接收处置: an officer of the lead department takes the case up (and is assigned if nobody is)."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        fields: dict[str, Any] = {"status": CaseStatus.IN_PROGRESS}
        if case.assigned_officer_id is None:
            fields["assigned_officer"] = actor
        return Change(fields, department=case.lead_department)

    return _transition(actor, case, CaseAction.START, apply, now=now, note=note)


def return_case(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> Case:
    """退回: the lead department sends the case back to the centre with a reason (counted against it)."""
    reason = require_text("reason", reason, _("Give the reason for returning the case."))

    def apply(case: Case, role: Role) -> Change:
        return Change(
            {"status": CaseStatus.RETURNED, "return_count": case.return_count + 1, "assigned_officer": None},
            {"department": case.lead_department.code},
            department=case.lead_department,
        )

    return _transition(actor, case, CaseAction.RETURN, apply, now=now, note=reason)


def resolve_case(actor, case: Case | int, *, note: str, photos: Sequence = (), now: datetime | None = None) -> Case:
    """办结: the lead department records the result (with "after" photos); the centre reviews it."""
    note = require_text("note", note, _("Describe how the case was resolved."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.RESOLVED, "resolved_at": now_}, department=case.lead_department)

    return _transition(
        actor, case, CaseAction.RESOLVE, apply, now=now_, note=note, photos=photos, photo_kind=AttachmentKind.AFTER
    )


# --- grid workers: solved on the spot, verified on site ---------------------------------------------------------


def self_resolve_case(
    actor, case: Case | int, *, photos: Sequence, note: str = "", now: datetime | None = None
) -> Case:
    """网格员自行处置: the reporting grid worker solved it on the spot (reported → resolved).

    At least one photo of the result is required; the centre then reviews the case as
    any other resolved one.
    """
    note = optional_text("note", note)
    if not photos:
        raise CaseValidationError.field("photos", _("Add at least one photo of the result."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.RESOLVED, "resolved_at": now_})

    return _transition(
        actor,
        case,
        CaseAction.SELF_RESOLVE,
        apply,
        now=now_,
        note=note,
        photos=photos,
        photo_kind=AttachmentKind.AFTER,
    )


def verify_case(actor, case: Case | int, *, note: str = "", photos: Sequence = (), now: datetime | None = None) -> Case:
    """核查: a grid worker of the case's grid confirms on site that the fix is real."""
    note = optional_text("note", note)
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"verified_at": now_, "verified_by": actor})

    return _transition(
        actor, case, CaseAction.VERIFY, apply, now=now_, note=note, photos=photos, photo_kind=AttachmentKind.AFTER
    )


# --- supervision and notes ----------------------------------------------------------------------------


def urge_case(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> Case:
    """督办: a leader (or the centre) presses for progress; the status does not change."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        return Change({"urge_count": case.urge_count + 1})

    return _transition(actor, case, CaseAction.URGE, apply, now=now, note=note)


def add_note_case(
    actor, case: Case | int, *, note: str = "", photos: Sequence = (), now: datetime | None = None
) -> Case:
    """A note (progress, a remark, photos) by anyone who sees the case and holds a role.

    Assisting departments record their part this way. The status does not change.
    """
    note = optional_text("note", note)
    if not note and not photos:
        raise CaseValidationError.field("note", _("Write a note or add a photo."))

    def apply(case: Case, role: Role) -> Change:
        return Change({}, department=_acting_department(actor) if role in (Role.OFFICER, Role.DEPT_HEAD) else None)

    return _transition(actor, case, CaseAction.NOTE, apply, now=now, note=note, photos=photos)
