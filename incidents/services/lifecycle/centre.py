"""The command centre's steps: accept (立案), reject (不予立案), dispatch (派遣), approve
(办结销号) and reopen (返工)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from departments.models import Department
from incidents.choices import CaseAction, CaseStatus, Satisfaction
from incidents.exceptions import CaseValidationError
from incidents.models import Case, SubCategory
from incidents.services.events import optional_text, require_text
from incidents.services.lifecycle.department import officer_user_of
from incidents.services.lifecycle.transition import Change, commit_change, lock_for, transition
from worktime import calendar


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

    return transition(actor, case, CaseAction.ACCEPT, apply, now=now_, note=note)


def reject_case(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> Case:
    """不予立案: the centre rejects a report (duplicate, invalid, out of scope) with a reason."""
    reason = require_text("reason", reason, _("Give the reason for rejecting the case."))

    def apply(case: Case, role: Role) -> Change:
        return Change({"status": CaseStatus.REJECTED, "reject_reason": reason})

    return transition(actor, case, CaseAction.REJECT, apply, now=now, note=reason)


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
        locked, role = lock_for(actor, case, CaseAction.DISPATCH)
        change = _dispatch_change(locked, department, assisting, officer, subcategory, now)
        if locked.status == CaseStatus.REPORTED:  # accept and dispatch at once: two timeline rows
            accepted = Change({"status": CaseStatus.REGISTERED, "accepted_at": now})
            commit_change(actor, locked, role, CaseAction.ACCEPT, accepted, now=now, publish=False)
        commit_change(actor, locked, role, CaseAction.DISPATCH, change, now=now, note=note)
    return locked


def _dispatch_change(
    case: Case, department, assisting: list[Department], officer, subcategory: SubCategory | None, now: datetime
) -> Change:
    """What a dispatch changes: the lead (by default the sub-item's), the deadline, a new SLA round."""
    sub = subcategory or case.subcategory
    lead = department or sub.lead_department
    if lead in assisting:
        raise CaseValidationError.field("assisting", _("The lead department cannot also assist."))
    officer_user = officer_user_of(officer, lead)
    previous = [case.lead_department_id, *case.assisting_departments.values_list("id", flat=True)]
    due = calendar.deadline(now, sub.limit_amount, sub.limit_unit)
    fields: dict[str, Any] = {
        "status": CaseStatus.DISPATCHED,
        "subcategory": sub,
        "lead_department": lead,
        "assigned_officer": officer_user,
        "dispatched_at": now,
        "deadline": due.deadline,
        "deadline_provisional": due.provisional,
        "time_limit_amount": sub.limit_amount,
        "time_limit_unit": sub.limit_unit,
    }
    if subcategory is not None:
        fields["urgency"] = sub.urgency
    data = {
        "department": lead.code,
        "assisting": [dept.code for dept in assisting],
        "officer": officer_user.pk if officer_user else None,
        "subcategory": sub.code,
        "deadline": due.deadline.isoformat(),
        "provisional": due.provisional,
        "time_limit": [str(sub.limit_amount), sub.limit_unit],
        "redispatch": case.status == CaseStatus.RETURNED,
    }
    others = tuple(pk for pk in previous if pk)
    return Change(fields, data, also_notify=others, starts_clock=True, assisting=assisting)


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

    return transition(actor, case, CaseAction.APPROVE, apply, now=now_, note=note)


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

    return transition(actor, case, CaseAction.REOPEN, apply, now=now_, note=reason)
