"""More time (延期) and on hold (挂账/缓办): a lead department asks, the centre decides.

* ``request_extension`` / ``request_hold``: an officer or the head of the lead department
  asks, with a reason, while the department's clock runs; one request at a time per case
  (the case's ``sla_pending``), none while the case is on hold.
* ``decide_extension`` / ``decide_hold``: a dispatcher (or administrator) grants or
  refuses (a refusal says why). A granted extension moves the deadline (to the date asked
  for, or by the amount of time asked for from the current deadline) and starts a new SLA
  round; a granted hold stops the clock: the case leaves the overdue figures and is
  counted apart (``sla.held_q``).
* ``resume_case``: the lead department or the centre takes a parked case up again; the SLA
  instants still ahead move on by the time spent parked.

Each is a step of the lifecycle (``lifecycle.transition``): the case row locked, the rule
of ``incidents.services.permissions`` checked, a timeline row written, the event announced after
commit. ``approve_extension`` and its three siblings decide the request waiting on a case
(for pages and the API, which name the case, not the request).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from incidents.choices import CaseAction, SlaRequestKind, SlaRequestStatus, TimeLimitUnit
from incidents.exceptions import CaseNotFound, CaseValidationError, InvalidTransition
from incidents.models import Case, SlaRequest
from incidents.services import sla
from incidents.services.events import optional_text, require_text
from incidents.services.lifecycle.transition import Change, transition
from worktime import calendar

MAX_EXTRA = Decimal("999")


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CaseValidationError.field("extra_amount", _("Give a number.")) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_EXTRA:
        raise CaseValidationError.field("extra_amount", _("Give an amount of time above 0 and at most 999."))
    if amount != amount.quantize(Decimal("0.1")):
        raise CaseValidationError.field("extra_amount", _("At most one decimal place."))
    return amount


def request_extension(
    actor,
    case: Case | int,
    *,
    reason: str,
    until: datetime | None = None,
    extra_amount: Decimal | int | float | str | None = None,
    extra_unit: str = "",
    now: datetime | None = None,
) -> SlaRequest:
    """延期申请: the lead department asks for a later deadline (``until``) or for more time
    (``extra_amount`` in ``extra_unit``, by default the unit of the case's time limit)."""
    reason = require_text("reason", reason, _("Give the reason for asking for more time."))
    now = now or timezone.now()
    if (until is None) == (extra_amount in (None, "")):
        raise CaseValidationError.field("until", _("Give either a new deadline or an amount of more time."))
    amount = None
    if until is not None:
        if timezone.is_naive(until):
            raise CaseValidationError.field("until", _("Give the time with its time zone."))
        if until <= now:
            raise CaseValidationError.field("until", _("The new deadline must be in the future."))
    else:
        amount = _amount(extra_amount)
        if extra_unit and extra_unit not in TimeLimitUnit.values:
            raise CaseValidationError.field("extra_unit", _("Unknown unit."))
    made: dict[str, SlaRequest] = {}

    def apply(case: Case, role: Role) -> Change:
        if until is not None and case.deadline is not None and until <= case.deadline:
            raise CaseValidationError.field(
                "until",
                _("The new deadline must be after the current one (%(deadline)s).")
                % {"deadline": timezone.localtime(case.deadline).strftime("%Y-%m-%d %H:%M")},
            )
        department = case.lead_department
        assert department is not None  # its staff ask (permissions.lead_department_staff)
        request = SlaRequest.objects.create(
            case=case,
            kind=SlaRequestKind.EXTENSION,
            reason=reason,
            requested_by=actor,
            department=department,
            requested_at=now,
            round=case.sla_round,
            until=until,
            extra_amount=amount,
            extra_unit=(extra_unit or case.time_limit_unit) if amount is not None else "",
            deadline_before=case.deadline,
        )
        made["request"] = request
        data: dict[str, Any] = {"request": request.pk}
        if until is not None:
            data["until"] = until.isoformat()
        else:
            data["extra"] = [str(amount), request.extra_unit]
        return Change({"sla_pending": SlaRequestKind.EXTENSION}, data, department=department)

    transition(actor, case, CaseAction.EXTENSION_REQUEST, apply, now=now, note=reason)
    return made["request"]


def request_hold(actor, case: Case | int, *, reason: str, now: datetime | None = None) -> SlaRequest:
    """挂账申请: the lead department asks to park a case it cannot solve now."""
    reason = require_text("reason", reason, _("Give the reason for putting the case on hold."))
    now = now or timezone.now()
    made: dict[str, SlaRequest] = {}

    def apply(case: Case, role: Role) -> Change:
        department = case.lead_department
        assert department is not None  # its staff ask (permissions.lead_department_staff)
        request = SlaRequest.objects.create(
            case=case,
            kind=SlaRequestKind.HOLD,
            reason=reason,
            requested_by=actor,
            department=department,
            requested_at=now,
            round=case.sla_round,
            deadline_before=case.deadline,
        )
        made["request"] = request
        return Change({"sla_pending": SlaRequestKind.HOLD}, {"request": request.pk}, department=department)

    transition(actor, case, CaseAction.HOLD_REQUEST, apply, now=now, note=reason)
    return made["request"]


def _decide(
    actor,
    kind: SlaRequestKind,
    *,
    approve: bool,
    note: str,
    now: datetime | None,
    request: SlaRequest | int | None = None,
    case: Case | int | None = None,
) -> SlaRequest:
    """Decide ``request``, or the request of ``kind`` waiting on ``case``."""
    note = optional_text("note", note) if approve else require_text("note", note, _("Give the reason for refusing."))
    now = now or timezone.now()
    request_id = request.pk if isinstance(request, SlaRequest) else request
    if request_id is not None:
        case = SlaRequest.objects.filter(pk=request_id, kind=kind).values_list("case_id", flat=True).first()
        if case is None:
            raise CaseNotFound(_("No such request."))
    if case is None:  # neither a request nor a case (what looking up a missing case says)
        raise CaseNotFound(_("No such case."))
    if kind == SlaRequestKind.EXTENSION:
        action = CaseAction.EXTENSION_APPROVE if approve else CaseAction.EXTENSION_REFUSE
    else:
        action = CaseAction.HOLD_APPROVE if approve else CaseAction.HOLD_REFUSE
    decided: dict[str, SlaRequest] = {}

    def apply(case: Case, role: Role) -> Change:
        waiting = SlaRequest.objects.select_for_update().filter(case=case, kind=kind, status=SlaRequestStatus.PENDING)
        if request_id is not None:
            waiting = waiting.filter(pk=request_id)
        locked = waiting.first()
        if locked is None:
            raise InvalidTransition(_("This request has already been decided."))
        fields: dict[str, Any] = {"sla_pending": ""}
        data: dict[str, Any] = {"request": locked.pk, "requested_by": locked.requested_by_id}
        if approve and kind == SlaRequestKind.EXTENSION:
            deadline = _granted_deadline(case, locked)
            fields.update(sla.extended(case, deadline))
            locked.deadline_after = deadline
            assert case.deadline is not None  # _granted_deadline needed it
            data.update(deadline=deadline.isoformat(), deadline_before=case.deadline.isoformat())
        elif approve:
            fields.update(sla.paused(case, now))
        locked.status = SlaRequestStatus.APPROVED if approve else SlaRequestStatus.REFUSED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "deadline_after"])
        decided["request"] = locked
        return Change(fields, data, department=case.lead_department)

    transition(actor, case, action, apply, now=now, note=note)
    return decided["request"]


def _granted_deadline(case: Case, request: SlaRequest) -> datetime:
    current = case.deadline
    assert current is not None  # more time is asked while a department holds the case (its clock runs)
    if request.until is not None:
        deadline = request.until
    else:
        assert request.extra_amount is not None  # a request names a new deadline or an amount of time
        deadline = calendar.deadline(current, request.extra_amount, request.extra_unit).deadline
    if deadline <= current:
        raise InvalidTransition(_("The deadline asked for is no later than the current one."))
    return deadline


def decide_extension(
    actor, request: SlaRequest | int, *, approve: bool, note: str = "", now: datetime | None = None
) -> SlaRequest:
    """The centre grants (the deadline moves, a new SLA round starts) or refuses more time."""
    return _decide(actor, SlaRequestKind.EXTENSION, request=request, approve=approve, note=note, now=now)


def decide_hold(
    actor, request: SlaRequest | int, *, approve: bool, note: str = "", now: datetime | None = None
) -> SlaRequest:
    """The centre puts the case on hold (its clock stops) or refuses."""
    return _decide(actor, SlaRequestKind.HOLD, request=request, approve=approve, note=note, now=now)


def resume_case(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> Case:
    """恢复办理: a parked case is taken up again; its SLA instants move on by the time parked."""
    note = optional_text("note", note)
    now_ = now or timezone.now()

    def apply(case: Case, role: Role) -> Change:
        fields = sla.resumed(case, now_)
        assert case.held_since is not None  # RESUME is for a case on hold (permissions: _on_hold)
        data: dict[str, Any] = {"held_since": case.held_since.isoformat()}
        if "deadline" in fields:
            data["deadline"] = fields["deadline"].isoformat()
        department = case.lead_department if role in (Role.OFFICER, Role.DEPT_HEAD) else None
        return Change(fields, data, department=department)

    return transition(actor, case, CaseAction.RESUME, apply, now=now_, note=note)


# --- the request waiting on a case, decided by naming the case (pages and the API) --------------------


def approve_extension(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> SlaRequest:
    return _decide(actor, SlaRequestKind.EXTENSION, case=case, approve=True, note=note, now=now)


def refuse_extension(actor, case: Case | int, *, note: str, now: datetime | None = None) -> SlaRequest:
    return _decide(actor, SlaRequestKind.EXTENSION, case=case, approve=False, note=note, now=now)


def approve_hold(actor, case: Case | int, *, note: str = "", now: datetime | None = None) -> SlaRequest:
    return _decide(actor, SlaRequestKind.HOLD, case=case, approve=True, note=note, now=now)


def refuse_hold(actor, case: Case | int, *, note: str, now: datetime | None = None) -> SlaRequest:
    return _decide(actor, SlaRequestKind.HOLD, case=case, approve=False, note=note, now=now)
