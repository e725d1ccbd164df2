"""Who is told about which step of a case, and what they are told: the one table.

``drafts(events)`` turns timeline rows (with their cases) into drafts of notifications:

| step | who |
| --- | --- |
| dispatch | the assigned officer, or the lead department's officers if nobody is assigned (not its head) |
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
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import Role
from departments.models import Officer
from incidents.choices import CaseAction, CaseSource
from notifications.choices import NotificationKind


class Draft(NamedTuple):
    recipient_id: int
    case_id: int
    event_id: int | None
    kind: NotificationKind
    text: str


def _when(value: Any, zone: tzinfo) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class Audiences:
    """The people behind the audience names of ``SLA_STEPS`` and the table above, loaded
    once per batch of events (one query per kind of audience, not per case)."""

    def __init__(self, cases: Sequence) -> None:
        self.sla_steps = settings.SLA_STEPS
        self.department_ids = {c.lead_department_id for c in cases if c.lead_department_id}
        self._staff: dict[int, list[tuple[int, bool]]] | None = None
        self._heads: dict[int, list[int]] | None = None
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
        """The assigned officer; nobody assigned: the department's officers (its head only if
        it has no one else)."""
        if case.assigned_officer_id:
            return [case.assigned_officer_id]
        staff = self._department_staff().get(case.lead_department_id, [])
        return [user for user, head in staff if not head] or [user for user, _head in staff]

    def head(self, case) -> list[int]:
        if self._heads is None:
            self._heads = {
                department: [user for user, head in staff if head]
                for department, staff in self._department_staff().items()
            }
        return self._heads.get(case.lead_department_id, [])

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


class Message(NamedTuple):
    kind: NotificationKind
    text: str  # a msgid: %(no)s the tracking number, %(deadline)s the deadline
    with_note: bool = False  # the step's note follows the text


# What each step tells (steps not here tell nobody).
MESSAGES: dict[str, Message] = {
    CaseAction.DISPATCH: Message(
        NotificationKind.DISPATCHED, gettext_noop("New case %(no)s for your department; deadline %(deadline)s.")
    ),
    CaseAction.ASSIGN: Message(
        NotificationKind.ASSIGNED, gettext_noop("Case %(no)s was assigned to you; deadline %(deadline)s.")
    ),
    CaseAction.URGE: Message(NotificationKind.URGED, gettext_noop("Case %(no)s was urged (督办)."), True),
    CaseAction.REOPEN: Message(
        NotificationKind.REOPENED,
        gettext_noop("Case %(no)s was sent back for rework; the deadline stays %(deadline)s."),
        True,
    ),
    CaseAction.RESOLVE: Message(
        NotificationKind.TO_CHECK, gettext_noop("Case %(no)s you reported has been resolved: please check it on site.")
    ),
    CaseAction.APPROVE: Message(NotificationKind.CLOSED, gettext_noop("Case %(no)s you reported is closed.")),
    CaseAction.SLA_WARNING: Message(
        NotificationKind.SLA_WARNING, gettext_noop("Case %(no)s is near its deadline (%(deadline)s).")
    ),
    CaseAction.SLA_OVERDUE: Message(
        NotificationKind.SLA_OVERDUE, gettext_noop("Case %(no)s is past its deadline (%(deadline)s).")
    ),
    CaseAction.SLA_ESCALATED: Message(
        NotificationKind.SLA_ESCALATED,
        gettext_noop("Case %(no)s is long past its deadline (%(deadline)s) and needs supervision (督办)."),
    ),
    CaseAction.EXTENSION_REQUEST: Message(
        NotificationKind.REQUEST, gettext_noop("More time is asked for case %(no)s."), True
    ),
    CaseAction.HOLD_REQUEST: Message(
        NotificationKind.REQUEST, gettext_noop("Case %(no)s is asked to be put on hold."), True
    ),
    CaseAction.EXTENSION_APPROVE: Message(
        NotificationKind.DECISION, gettext_noop("More time was granted for case %(no)s: new deadline %(deadline)s.")
    ),
    CaseAction.EXTENSION_REFUSE: Message(
        NotificationKind.DECISION, gettext_noop("More time was refused for case %(no)s."), True
    ),
    CaseAction.HOLD_APPROVE: Message(
        NotificationKind.DECISION, gettext_noop("Case %(no)s is on hold: its clock has stopped.")
    ),
    CaseAction.HOLD_REFUSE: Message(
        NotificationKind.DECISION, gettext_noop("Putting case %(no)s on hold was refused."), True
    ),
}
# The SLA steps' actions, and the step of ``SLA_STEPS`` each is.
SLA_STEP_OF = {
    CaseAction.SLA_WARNING: "warning",
    CaseAction.SLA_OVERDUE: "overdue",
    CaseAction.SLA_ESCALATED: "escalated",
}


def _text(case, event, template: str, with_note: bool, zone: tzinfo) -> str:
    """The text of what ``event`` tells, from its (translated) template."""
    if "%(deadline)s" in template:
        when = case.deadline if event.action in SLA_STEP_OF else (event.data or {}).get("deadline") or case.deadline
        text = template % {"no": case.tracking_no, "deadline": _when(when, zone)}
    else:
        text = template % {"no": case.tracking_no}
    note = (event.note or "").strip() if with_note else ""
    return f"{text} {note}" if note else text


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
    if action in SLA_STEP_OF:
        names = audiences.sla_steps.get(SLA_STEP_OF[action], ())
        return [user for name in names for user in audiences.named(name, case)]
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


def drafts(events: Iterable[tuple[Any, Any]]) -> list[Draft]:
    """The notifications the (case, timeline row) pairs call for, before the visibility check."""
    told = [(case, event) for case, event in events if event.action in MESSAGES]
    if not told:
        return []
    audiences = Audiences([case for case, _event in told])
    zone = timezone.get_default_timezone()
    with translation.override(settings.LANGUAGE_CODE):
        templates = {action: _(message.text) for action, message in MESSAGES.items()}
    found: list[Draft] = []
    for case, event in told:
        message = MESSAGES[event.action]
        text = _text(case, event, templates[event.action], message.with_note, zone)[:500]
        people = dict.fromkeys(pk for pk in _who(case, event, audiences) if pk and pk != event.actor_id)
        found.extend(Draft(pk, case.pk, event.pk, message.kind, text) for pk in people)
    return found
