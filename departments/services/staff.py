"""Appointing people to departments: the one place that links a user to a department."""

from __future__ import annotations

from django.db import transaction

from accounts.roles import Role, grant
from departments.models import Department, Officer


@transaction.atomic
def appoint(user, department: Department, *, head: bool = False, phone: str = "") -> Officer:
    """Make ``user`` an officer (or the head) of ``department`` and grant the matching role.

    A department has one head: appointing a new one makes the previous head an officer.
    """
    if head:
        Officer.objects.filter(department=department, is_head=True).exclude(user=user).update(is_head=False)
    officer, _created = Officer.objects.update_or_create(
        user=user, defaults={"department": department, "is_head": head, **({"phone": phone} if phone else {})}
    )
    sync_roles(officer)
    return officer


def sync_roles(officer: Officer) -> None:
    """Grant the role that goes with the position (officer, or department head)."""
    grant(officer.user, Role.DEPT_HEAD if officer.is_head else Role.OFFICER)
