"""The lead department's steps: assign, start (接收处置), return (退回) and resolve (办结)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from departments.models import Department, Officer
from incidents.choices import AttachmentKind, CaseAction, CaseStatus
from incidents.exceptions import CaseValidationError
from incidents.models import Case
from incidents.services.events import optional_text, require_text
from incidents.services.lifecycle.transition import Change, transition


def assign_case(actor, case: Case | int, *, officer, note: str = "", now: datetime | None = None) -> Case:
    """The lead department's head (or the centre) gives the case to one of its officers."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        user = officer_user_of(officer, case.lead_department)
        return Change({"assigned_officer": user}, {"officer": user.pk}, department=case.lead_department)

    return transition(actor, case, CaseAction.ASSIGN, apply, now=now, note=note)


def start_case(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> Case:
    """接收处置: an officer of the lead department takes the case up (and is assigned if nobody is)."""
    note = optional_text("note", note)

    def apply(case: Case, role: Role) -> Change:
        fields: dict[str, Any] = {"status": CaseStatus.IN_PROGRESS}
        if case.assigned_officer_id is None:
            fields["assigned_officer"] = actor
        return Change(fields, department=case.lead_department)

    return transition(actor, case, CaseAction.START, apply, now=now, note=note)


def return_case(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> Case:
    """退回: the lead department sends the case back to the centre with a reason (counted against it)."""
    reason = require_text("reason", reason, _("Give the reason for returning the case."))

    def apply(case: Case, role: Role) -> Change:
        department = case.lead_department
        assert department is not None  # its staff return it (permissions.lead_department_staff)
        return Change(
            {"status": CaseStatus.RETURNED, "return_count": case.return_count + 1, "assigned_officer": None},
            {"department": department.code},
            department=department,
        )

    return transition(actor, case, CaseAction.RETURN, apply, now=now, note=reason)


def resolve_case(actor, case: Case | int, *, note: str, photos: Sequence = (), now: datetime | None = None) -> Case:
    """办结: the lead department records the result (with "after" photos); the centre reviews it."""
    note = require_text("note", note, _("Describe how the case was resolved."))
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.RESOLVED, "resolved_at": now_}, department=case.lead_department)

    return transition(
        actor, case, CaseAction.RESOLVE, apply, now=now_, note=note, photos=photos, photo_kind=AttachmentKind.AFTER
    )


def officer_user_of(officer, department: Department | None):
    """The user behind ``officer`` (a user or an ``Officer``), checked to work for ``department``."""
    if officer is None:
        return None
    user = officer.user if isinstance(officer, Officer) else officer
    if not Officer.objects.filter(user=user, department=department).exists():
        raise CaseValidationError.field("officer", _("This person is not an officer of the lead department."))
    return user
