"""Bulk actions: one domain step on each of several cases, each on its own, each with its outcome.

A dispatcher accepts, dispatches or rejects many reports at once; every case still goes
through the one function of its step (``accept_case``, ``dispatch_case``, ``reject_case``,
``merge_case``, ``start_case``), in its own transaction, so that one case someone else
took a moment ago (or that the user may not see) fails alone with the domain's message
while the others go through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from incidents.exceptions import CaseError, CaseValidationError
from incidents.models import Case
from incidents.services.duplicates import merge_case
from incidents.services.lifecycle import reject_case

MAX_CASES = 200  # at most this many cases in one bulk action


@dataclass(frozen=True)
class Outcome:
    """What happened to one case of a bulk action: done, or why not."""

    case_id: int
    tracking_no: str
    ok: bool
    message: str = ""


def error_text(error: CaseError) -> str:
    if isinstance(error, CaseValidationError):
        return " ".join(message for messages in error.errors.values() for message in messages)
    return error.message


def act_on_each(actor, case_ids: Iterable[int], function: Callable[..., Any], **kwargs: Any) -> list[Outcome]:
    """``function(actor, case_id, **kwargs)`` for each case, in the order given (each id once)."""
    ids = list(dict.fromkeys(case_ids))
    names = dict(Case.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", "tracking_no"))
    outcomes = []
    for case_id in ids:
        if case_id not in names:  # unknown, or not the user's to see: refused alone
            outcomes.append(Outcome(case_id, "", False, _("No such case.")))
            continue
        try:
            function(actor, case_id, **kwargs)
        except CaseError as error:
            outcomes.append(Outcome(case_id, names[case_id], False, error_text(error)))
        else:
            outcomes.append(Outcome(case_id, names[case_id], True))
    return outcomes


def reject_or_merge(actor, case: Case | int, *, reason: str, into: int | None = None) -> Case:
    """不予立案 with a reason, or, naming the original, as its duplicate (``merge_case``)."""
    if into is not None:
        return merge_case(actor, case, into=into, note=reason)
    return reject_case(actor, case, reason=reason)
