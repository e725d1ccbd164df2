"""What of the appeals (申诉) a person reads, and what a page needs to offer one; the pages and
the API ask here, ``evaluation.services.appeals`` writes them.

| who | reads |
| --- | --- |
| the centre (dispatcher, leader, administrator) | every appeal |
| a department head | their department's |
| anyone else | none: 403 |

An appeal one may not read is a 404, as if it did not exist. Who may appeal and who may
decide is the write side's rule (``appeals``); ``may_decide`` only says whether to show
the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import acting_role
from evaluation import selectors
from evaluation.choices import APPEALABLE_FIGURES, AppealState
from evaluation.models import Appeal, Publication
from evaluation.periods import Period
from evaluation.services import appeals, read
from gridcenter.errors import DomainValidationError, NotFoundError, PermissionDeniedError


def may_list(user) -> bool:
    who = selectors.reader(user)
    return who.centre or bool(who.department)


def may_decide(user) -> bool:
    return acting_role(user, appeals.DECIDERS) is not None


def visible(user) -> QuerySet[Appeal]:
    """The appeals ``user`` reads (403 for one who reads none), newest first."""
    who = selectors.reader(user)
    if not (who.centre or who.department):
        raise PermissionDeniedError(_("Your role may not read the appeals."))
    found = Appeal.objects.select_related(
        "department", "case", "appealed_by", "decided_by", "publication", "result"
    ).order_by("-appealed_at", "-id")
    return found if who.centre else found.filter(department__code=who.department)


def listed(user, *, period: Period | None = None, state: str | None = None) -> QuerySet[Appeal]:
    """``visible``, of one month and in one state when asked (an unknown state is a 400)."""
    found = visible(user)
    if period is not None:
        found = found.filter(period=period.key)
    if state:
        if state not in AppealState.values:
            raise DomainValidationError.field("state", _("No such state of an appeal."))
        found = found.filter(state=state)
    return found


def get(user, appeal_id: int | str) -> Appeal:
    """One appeal ``user`` reads (404 otherwise)."""
    try:
        return visible(user).get(pk=int(appeal_id))
    except (Appeal.DoesNotExist, TypeError, ValueError):
        raise NotFoundError(_("No such appeal.")) from None


def months(user) -> list[str]:
    """The months of the appeals ``user`` reads, newest first (the page's month filter)."""
    return list(visible(user).order_by("-period").values_list("period", flat=True).distinct())


def pending_count(user) -> int:
    """How many appeals wait for a decision, for those who decide (0 for everyone else)."""
    return Appeal.objects.filter(state=AppealState.PENDING).count() if may_decide(user) else 0


def versions(period: Period) -> list[Publication]:
    """The month's published versions, newest first, with who made each and why (the record of its changes)."""
    return list(
        Publication.objects.filter(period=period.key).select_related("published_by", "scheme").order_by("-version")
    )


@dataclass(frozen=True)
class Window:
    """One figure of a published month on the rounds page: the round number of each round shown,
    the appeals already made there and, for the department's head on the newest version,
    whether it may still appeal and until when."""

    rounds: dict[tuple[int, datetime], int]  # (case, start) → round number, in the version shown
    made: dict[tuple[int, int], Appeal]  # (case, round number) → the appeal made on it
    open: bool = False
    deadline: datetime | None = None

    def round_no(self, case: int, started_at: datetime) -> int | None:
        return self.rounds.get((case, started_at))

    def appeal(self, case: int, started_at: datetime) -> Appeal | None:
        number = self.round_no(case, started_at)
        return None if number is None else self.made.get((case, number))


CLOSED = Window(rounds={}, made={})


def window(user, period: Period, subject: str, key: str, figure: str, version: int | None) -> Window:
    """``Window`` of the department ``key``'s ``figure`` in the month's ``version`` (default: the newest)."""
    if subject != "departments" or figure not in APPEALABLE_FIGURES:
        return CLOSED
    latest = Publication.objects.filter(period=period.key).order_by("-version").first()
    if latest is None:
        return CLOSED
    newest = version is None or version == latest.version
    shown = latest if version is None else Publication.objects.filter(period=period.key, version=version).first()
    rounds = {(case, start): number for case, start, number in read.frozen_rounds(shown, subject, key, figure)}
    made = Appeal.objects.filter(period=period.key, department__code=key, figure=figure).select_related("result")
    found = Window(rounds=rounds, made={(appeal.case_id, appeal.round_no): appeal for appeal in made})
    if not newest or selectors.reader(user).department != key:
        return found
    first = latest if latest.version == 1 else Publication.objects.get(period=period.key, version=1)
    deadline = appeals.appeal_deadline(first)
    return Window(rounds=found.rounds, made=found.made, open=timezone.now() <= deadline, deadline=deadline)
