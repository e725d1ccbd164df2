"""Fetching a case for an action: visibility checked and the row locked in one step."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from incidents.exceptions import CaseNotFound
from incidents.models import Case


def get_case_for_action(user, case: Case | int, *, lock: bool = True) -> Case:
    """The case ``user`` may see, locked (``SELECT ... FOR UPDATE``) for the transaction.

    ``case`` may be a ``Case`` or its id; the row is always read again, so the caller
    acts on the committed state. Raises ``CaseNotFound`` for a case that does not exist
    or that the user may not see. Call inside ``transaction.atomic()`` when locking.
    """
    case_id = case.pk if isinstance(case, Case) else case
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise CaseNotFound(_("No such case.")) from None
    cases = Case.objects.visible_to(user).select_related("subcategory")
    if lock:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("get_case_for_action(lock=True) needs a transaction")
        cases = cases.select_for_update(of=("self",))
    try:
        return cases.get(pk=case_id)
    except Case.DoesNotExist:
        raise CaseNotFound(_("No such case.")) from None
