"""Personal data on the case pages: a caller's contact, shown whole only to who needs it.

A resident's or hotline caller's name and phone (``Case.reporter_name``,
``Case.reporter_phone``) are kept for the command centre, which may call back; the
department pages show them masked (张*, 138****5678). The API answers with the same rule
(``CENTRE_ROLES``). Each time a caller's full contact is shown, who saw it, when and for
which case goes to the access record (``contact_shown``).
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import AccessKind
from accounts.names import display_name
from accounts.roles import CENTRE_ROLES, has_role
from accounts.services import access

CONTACT_ROLES = CENTRE_ROLES


def can_see_contact(user) -> bool:
    """Whether ``user`` may see a caller's name and phone unmasked."""
    return has_role(user, *CONTACT_ROLES)


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; shorter numbers keep fewer digits (``0743****``)."""
    phone = phone.strip()
    head = 3 if len(phone) >= 11 else 0
    tail = 4 if len(phone) >= 8 else min(2, len(phone) // 2)
    return phone[:head] + "*" * (len(phone) - head - tail) + phone[len(phone) - tail :]


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``: the family name only."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    masked: bool


def contact_shown(case, request) -> None:
    """Record that ``request``'s user is shown the caller's full contact of ``case``."""
    access.record(
        AccessKind.CONTACT_VIEWED, request=request, user=request.user, target=f"case {case.pk} {case.tracking_no}"
    )


def reporter_contact(case, user, request=None) -> Contact | None:
    """Who reported ``case``, as ``user`` may see it (``None`` when nobody is named); a full
    contact shown in answer to ``request`` is recorded."""
    if case.reporter_id is not None and not (case.reporter_name or case.reporter_phone):
        return Contact(display_name(case.reporter), "", masked=False)
    if not (case.reporter_name or case.reporter_phone):
        return None
    if can_see_contact(user):
        if request is not None:
            contact_shown(case, request)
        return Contact(case.reporter_name, case.reporter_phone, masked=False)
    return Contact(mask_name(case.reporter_name), mask_phone(case.reporter_phone), masked=True)
