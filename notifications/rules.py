"""Who is told about which step of a case, and what they are told: the one table.

``drafts(events)`` turns timeline rows (with their cases) into drafts of notifications:

| step | who |
| --- | --- |
| dispatch | the assigned officer, or the lead department's officers if nobody is assigned |
| assign | the officer assigned |
| urge (督办), reopen (rework) | the assigned officer (or the department's officers) and the head |
| resolve | the grid worker who reported the case (to check the fix on site) |
| approve (closed) | the grid worker who reported the case |
| SLA warning, overdue, escalated | the audiences of ``SLA_STEPS`` (default: officer, head, leaders) |
| request for more time / on hold | the centre's dispatchers |
| decision on a request | the officer who asked, and the head |

The person who took the step is never told about it. Whether each person may see the
case is checked afterwards, by ``notifications.services`` (``Case.objects.visible_to``).
The texts are written in the site's language (``LANGUAGE_CODE``), as SMS would carry them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role
from departments.models import Officer
from incidents.choices import CaseAction, CaseSource
from notifications.choices import NotificationKind


@dataclass(frozen=True)
class Draft:
    recipient_id: int
    case_id: int
    event_id: int | None
    kind: NotificationKind
    text: str


def _when(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class Audiences:
    """The people behind the audience names of ``SLA_STEPS`` and the table above, loaded
    once per batch of events (one query per kind of audience, not per case)."""

    def __init__(self, cases: Sequence) -> None:
        self.department_ids = {c.lead_department_id for c in cases if c.lead_department_id}
        self._staff: dict[int, list[tuple[int, bool]]] | None = None
        self._leaders: list[int] | None = None
        self._dispatchers: list[int] | None = None

    def _department_staff(self) -> dict[int, list[tuple[int, bool]]]:
        if self._staff is None:
            self._staff = {}
            rows = Officer.objects.filter(department_id__in=self.department_ids, user__is_active=True)
            for department_id, user_id, is_head in rows.values_list("department_id", "user_id", "is_head"):
                self._staff.setdefault(department_id, []).append((user_id, is_head))
        return self._staff

    def officers(self, case) -> list[int]:
        return [user for user, _head in self._department_staff().get(case.lead_department_id, [])]

    def officer(self, case) -> list[int]:
        return [case.assigned_officer_id] if case.assigned_officer_id else self.officers(case)

    def head(self, case) -> list[int]:
        return [user for user, head in self._department_staff().get(case.lead_department_id, []) if head]

    def leaders(self, case=None) -> list[int]:
        if self._leaders is None:
            users = get_user_model().objects.filter(is_active=True)
            if settings.SLA_LEADERS:
                users = users.filter(username__in=settings.SLA_LEADERS)
            else:
                users = users.filter(groups__name=Role.LEADER.value)
            self._leaders = sorted(set(users.values_list("id", flat=True)))
        return self._leaders

    def dispatchers(self, case=None) -> list[int]:
        if self._dispatchers is None:
            users = get_user_model().objects.filter(is_active=True, groups__name=Role.DISPATCHER.value)
            self._dispatchers = sorted(set(users.values_list("id", flat=True)))
        return self._dispatchers

    def named(self, name: str, case) -> list[int]:
        return getattr(self, name)(case)


SLA_KINDS = {
    CaseAction.SLA_WARNING: NotificationKind.SLA_WARNING,
    CaseAction.SLA_OVERDUE: NotificationKind.SLA_OVERDUE,
    CaseAction.SLA_ESCALATED: NotificationKind.SLA_ESCALATED,
}


def _text(case, event) -> tuple[NotificationKind, str] | None:
    """The kind and text of what ``event`` tells (``None``: nothing to tell)."""
    action, data, no = event.action, event.data or {}, case.tracking_no
    note = (event.note or "").strip()
    deadline = _when(data.get("deadline") or case.deadline)
    if action == CaseAction.DISPATCH:
        return NotificationKind.DISPATCHED, _("New case %(no)s for your department; deadline %(deadline)s.") % {
            "no": no,
            "deadline": deadline,
        }
    if action == CaseAction.ASSIGN:
        return NotificationKind.ASSIGNED, _("Case %(no)s was assigned to you; deadline %(deadline)s.") % {
            "no": no,
            "deadline": _when(case.deadline),
        }
    if action == CaseAction.URGE:
        text = _("Case %(no)s was urged (督办).") % {"no": no}
        return NotificationKind.URGED, f"{text} {note}".strip()
    if action == CaseAction.REOPEN:
        text = _("Case %(no)s was sent back for rework; the deadline stays %(deadline)s.") % {
            "no": no,
            "deadline": deadline,
        }
        return NotificationKind.REOPENED, f"{text} {note}".strip()
    if action == CaseAction.RESOLVE:
        return NotificationKind.TO_CHECK, _("Case %(no)s you reported has been resolved: please check it on site.") % {
            "no": no
        }
    if action == CaseAction.APPROVE:
        return NotificationKind.CLOSED, _("Case %(no)s you reported is closed.") % {"no": no}
    if action == CaseAction.SLA_WARNING:
        return NotificationKind.SLA_WARNING, _("Case %(no)s is near its deadline (%(deadline)s).") % {
            "no": no,
            "deadline": deadline,
        }
    if action == CaseAction.SLA_OVERDUE:
        return NotificationKind.SLA_OVERDUE, _("Case %(no)s is past its deadline (%(deadline)s).") % {
            "no": no,
            "deadline": deadline,
        }
    if action == CaseAction.SLA_ESCALATED:
        text = _("Case %(no)s is long past its deadline (%(deadline)s) and needs supervision (督办).")
        return NotificationKind.SLA_ESCALATED, text % {"no": no, "deadline": deadline}
    if action == CaseAction.EXTENSION_REQUEST:
        text = _("More time is asked for case %(no)s.") % {"no": no}
        return NotificationKind.REQUEST, f"{text} {note}".strip()
    if action == CaseAction.HOLD_REQUEST:
        text = _("Case %(no)s is asked to be put on hold.") % {"no": no}
        return NotificationKind.REQUEST, f"{text} {note}".strip()
    if action == CaseAction.EXTENSION_APPROVE:
        text = _("More time was granted for case %(no)s: new deadline %(deadline)s.")
        return NotificationKind.DECISION, text % {"no": no, "deadline": deadline}
    if action == CaseAction.EXTENSION_REFUSE:
        text = _("More time was refused for case %(no)s.") % {"no": no}
        return NotificationKind.DECISION, f"{text} {note}".strip()
    if action == CaseAction.HOLD_APPROVE:
        return NotificationKind.DECISION, _("Case %(no)s is on hold: its clock has stopped.") % {"no": no}
    if action == CaseAction.HOLD_REFUSE:
        text = _("Putting case %(no)s on hold was refused.") % {"no": no}
        return NotificationKind.DECISION, f"{text} {note}".strip()
    return None


def _who(case, event, audiences: Audiences) -> list[int]:
    action = event.action
    if action == CaseAction.DISPATCH:
        return audiences.officer(case)
    if action == CaseAction.ASSIGN:
        return [case.assigned_officer_id] if case.assigned_officer_id else []
    if action in (CaseAction.URGE, CaseAction.REOPEN):
        return audiences.officer(case) + audiences.head(case)
    if action in (CaseAction.RESOLVE, CaseAction.APPROVE):
        if getattr(case, "source", None) == CaseSource.GRID_WORKER and case.reporter_id:
            return [case.reporter_id]
        return []
    if action in SLA_KINDS:
        step = {CaseAction.SLA_WARNING: "warning", CaseAction.SLA_OVERDUE: "overdue"}.get(action, "escalated")
        return [user for name in settings.SLA_STEPS.get(step, ()) for user in audiences.named(name, case)]
    if action in (CaseAction.EXTENSION_REQUEST, CaseAction.HOLD_REQUEST):
        return audiences.dispatchers(case)
    if action in (
        CaseAction.EXTENSION_APPROVE,
        CaseAction.EXTENSION_REFUSE,
        CaseAction.HOLD_APPROVE,
        CaseAction.HOLD_REFUSE,
    ):
        requester = (event.data or {}).get("requested_by")
        return ([requester] if requester else []) + audiences.head(case)
    return []


TOLD = frozenset(
    {
        CaseAction.DISPATCH,
        CaseAction.ASSIGN,
        CaseAction.URGE,
        CaseAction.REOPEN,
        CaseAction.RESOLVE,
        CaseAction.APPROVE,
        CaseAction.SLA_WARNING,
        CaseAction.SLA_OVERDUE,
        CaseAction.SLA_ESCALATED,
        CaseAction.EXTENSION_REQUEST,
        CaseAction.HOLD_REQUEST,
        CaseAction.EXTENSION_APPROVE,
        CaseAction.EXTENSION_REFUSE,
        CaseAction.HOLD_APPROVE,
        CaseAction.HOLD_REFUSE,
    }
)


def drafts(events: Iterable[tuple[Any, Any]]) -> list[Draft]:
    """The notifications the (case, timeline row) pairs call for, before the visibility check."""
    told = [(case, event) for case, event in events if event.action in TOLD]
    if not told:
        return []
    audiences = Audiences([case for case, _event in told])
    found: list[Draft] = []
    with translation.override(settings.LANGUAGE_CODE):
        for case, event in told:
            said = _text(case, event)
            if said is None:
                continue
            kind, text = said
            people = dict.fromkeys(pk for pk in _who(case, event, audiences) if pk and pk != event.actor_id)
            found.extend(Draft(pk, case.pk, event.pk, kind, text[:500]) for pk in people)
    return found
