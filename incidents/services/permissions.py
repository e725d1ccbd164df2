"""Who may take which step of the lifecycle, and from which statuses: the one table.

Every action of ``CaseAction`` has a ``Rule``: the statuses it may start from and a
function that says in which role the user may take it on that case (or ``None``).
``check`` raises the domain errors; ``available_actions`` lists what a user may do now
(for buttons on pages and the API's ``actions`` field). Visibility is checked before
these rules, by ``Case.objects.visible_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import ROLE_PRECEDENCE, Role, acting_role
from departments.selectors import officer_of
from grids.selectors import grid_ids_of
from incidents.choices import CaseAction, CaseSource, CaseStatus, SlaRequestKind
from incidents.exceptions import CasePermissionDenied, InvalidTransition
from incidents.models import Case

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _first(user, *roles: Role) -> Role | None:
    return acting_role(user, roles)


# --- who: each returns the role the user acts in, or None -----------------------------------------


def centre(user, case: Case) -> Role | None:
    """The command centre's dispatchers (and administrators, who may do what they do)."""
    return _first(user, Role.DISPATCHER, Role.ADMIN)


def urger(user, case: Case) -> Role | None:
    """Leaders supervise (督办); dispatchers and administrators may urge too."""
    return _first(user, Role.DISPATCHER, Role.LEADER, Role.ADMIN)


def lead_department_staff(user, case: Case) -> Role | None:
    """An officer or the head of the case's lead department."""
    officer = officer_of(user)
    if officer is None or case.lead_department_id is None or officer.department_id != case.lead_department_id:
        return None
    return _first(user, Role.DEPT_HEAD if officer.is_head else Role.OFFICER)


def lead_department_head_or_centre(user, case: Case) -> Role | None:
    """Who assigns a case to an officer: the lead department's head, or the centre."""
    role = lead_department_staff(user, case)
    if role == Role.DEPT_HEAD:
        return role
    return centre(user, case)


def reporting_grid_worker(user, case: Case) -> Role | None:
    """The grid worker who reported the case themselves."""
    if case.source != CaseSource.GRID_WORKER or case.reporter_id is None or case.reporter_id != user.pk:
        return None
    return _first(user, Role.GRID_WORKER)


def grid_worker_of_case(user, case: Case) -> Role | None:
    """A grid worker serving the grid the case was filed in."""
    if case.grid_id not in grid_ids_of(user):
        return None
    return _first(user, Role.GRID_WORKER)


def any_role(user, case: Case) -> Role | None:
    """Anyone holding a role (who sees the case: checked before); residents hold none."""
    return lead_department_staff(user, case) or _first(user, *ROLE_PRECEDENCE)


def lead_department_staff_or_centre(user, case: Case) -> Role | None:
    """Who takes a parked case up again: its lead department, or the centre."""
    return lead_department_staff(user, case) or centre(user, case)


def nobody(user, case: Case) -> Role | None:
    """Steps no person takes (the SLA clock's, taken by the sweep)."""
    return None


# --- when: conditions on the case besides its status (fields only: no queries) ---------------------


def _no_request_waiting(case: Case) -> bool:
    return not case.sla_pending and case.held_since is None


def _extension_waiting(case: Case) -> bool:
    return case.sla_pending == SlaRequestKind.EXTENSION


def _hold_waiting(case: Case) -> bool:
    return case.sla_pending == SlaRequestKind.HOLD


def _on_hold(case: Case) -> bool:
    return case.held_since is not None


@dataclass(frozen=True)
class Rule:
    sources: frozenset[CaseStatus]
    who: Callable[[object, Case], Role | None]
    # A further condition on the case, and what a refusal (409) says when it does not hold.
    when: Callable[[Case], bool] | None = None
    not_now: StrOrPromise = ""


def _s(*statuses: CaseStatus) -> frozenset[CaseStatus]:
    return frozenset(statuses)


RULES: dict[CaseAction, Rule] = {
    CaseAction.ACCEPT: Rule(_s(CaseStatus.REPORTED), centre),
    CaseAction.REJECT: Rule(_s(CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.RETURNED), centre),
    # From "reported" a dispatch accepts and dispatches at once; from "returned" it redispatches.
    CaseAction.DISPATCH: Rule(_s(CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.RETURNED), centre),
    CaseAction.ASSIGN: Rule(_s(CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS), lead_department_head_or_centre),
    CaseAction.START: Rule(_s(CaseStatus.DISPATCHED), lead_department_staff),
    CaseAction.RETURN: Rule(_s(CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS), lead_department_staff),
    CaseAction.RESOLVE: Rule(_s(CaseStatus.IN_PROGRESS), lead_department_staff),
    CaseAction.SELF_RESOLVE: Rule(_s(CaseStatus.REPORTED), reporting_grid_worker),
    CaseAction.APPROVE: Rule(_s(CaseStatus.RESOLVED), centre),
    CaseAction.REOPEN: Rule(_s(CaseStatus.RESOLVED), centre),
    CaseAction.VERIFY: Rule(_s(CaseStatus.RESOLVED), grid_worker_of_case),
    CaseAction.URGE: Rule(CaseStatus.ACTIVE, urger),
    CaseAction.NOTE: Rule(frozenset(CaseStatus), any_role),
    # A new report merged into an open case as its duplicate (incidents.services.duplicates).
    CaseAction.MERGE: Rule(_s(CaseStatus.REPORTED, CaseStatus.REGISTERED), centre),
    # The SLA clock's steps (incidents.services.sweep): no person takes them.
    CaseAction.SLA_WARNING: Rule(frozenset(), nobody),
    CaseAction.SLA_OVERDUE: Rule(frozenset(), nobody),
    CaseAction.SLA_ESCALATED: Rule(frozenset(), nobody),
    # More time and on hold (incidents.services.extensions): one request at a time.
    CaseAction.EXTENSION_REQUEST: Rule(
        CaseStatus.CLOCK_RUNNING,
        lead_department_staff,
        _no_request_waiting,
        gettext_lazy("A request is already waiting for the centre, or the case is on hold."),
    ),
    CaseAction.HOLD_REQUEST: Rule(
        CaseStatus.CLOCK_RUNNING,
        lead_department_staff,
        _no_request_waiting,
        gettext_lazy("A request is already waiting for the centre, or the case is on hold."),
    ),
    CaseAction.EXTENSION_APPROVE: Rule(
        CaseStatus.CLOCK_RUNNING, centre, _extension_waiting, gettext_lazy("No request for more time is waiting.")
    ),
    CaseAction.EXTENSION_REFUSE: Rule(
        CaseStatus.CLOCK_RUNNING, centre, _extension_waiting, gettext_lazy("No request for more time is waiting.")
    ),
    CaseAction.HOLD_APPROVE: Rule(
        CaseStatus.CLOCK_RUNNING, centre, _hold_waiting, gettext_lazy("No request to put the case on hold is waiting.")
    ),
    CaseAction.HOLD_REFUSE: Rule(
        CaseStatus.CLOCK_RUNNING, centre, _hold_waiting, gettext_lazy("No request to put the case on hold is waiting.")
    ),
    CaseAction.RESUME: Rule(
        CaseStatus.CLOCK_RUNNING, lead_department_staff_or_centre, _on_hold, gettext_lazy("The case is not on hold.")
    ),
}


def check(user, case: Case, action: CaseAction) -> Role:
    """The role in which ``user`` takes ``action`` on ``case`` now; raises 403 or 409 errors.

    Permission comes first: someone who may never take this step is told so (403)
    whatever the status; someone who may, but not now, gets ``InvalidTransition`` (409).
    """
    rule = RULES[action]
    role = rule.who(user, case)
    if role is None:
        raise CasePermissionDenied(_("You may not do “%(action)s” on this case.") % {"action": action.label})
    if case.status not in rule.sources:
        raise InvalidTransition(
            _("The case is “%(status)s”: “%(action)s” is not possible now.")
            % {"status": CaseStatus(case.status).label, "action": action.label}
        )
    if action == CaseAction.VERIFY and case.verified_at is not None:
        raise InvalidTransition(_("The case has already been verified on site."))
    if rule.when is not None and not rule.when(case):
        raise InvalidTransition(str(rule.not_now))
    return role


def available_actions(user, case: Case) -> list[CaseAction]:
    """The actions ``user`` may take on ``case`` in its current status (``case`` visible to them)."""
    return [
        action
        for action, rule in RULES.items()
        if case.status in rule.sources
        and rule.who(user, case) is not None
        and not (action == CaseAction.VERIFY and case.verified_at is not None)
        and (rule.when is None or rule.when(case))
    ]
