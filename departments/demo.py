"""Demo accounts of the departments: ``officer-<code>`` and ``head-<code>`` (DESIGN.md)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.roles import Role
from departments.models import Department, Officer
from departments.reference import load_departments


def seed(password: str, log) -> None:
    load_departments()
    password_hash = make_password(password)
    user_model = get_user_model()
    departments = list(Department.objects.filter(is_active=True))
    wanted = {}
    for department in departments:
        code = department.code.lower()
        wanted[f"officer-{code}"] = (department, False, "专员")
        wanted[f"head-{code}"] = (department, True, "负责人")
    existing = set(user_model.objects.filter(username__in=wanted).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=name, password=password_hash, last_name=department.name, first_name=title)
            for name, (department, _head, title) in wanted.items()
            if name not in existing
        ]
    )
    users = {user.username: user for user in user_model.objects.filter(username__in=wanted)}
    appointed = set(Officer.objects.filter(user__in=users.values()).values_list("user__username", flat=True))
    Officer.objects.bulk_create(
        [
            Officer(user=users[name], department=department, is_head=head)
            for name, (department, head, _title) in wanted.items()
            if name not in appointed
        ]
    )
    _grant_in_bulk(users, wanted)
    log(f"departments: {len(departments)}, with officer-<code> and head-<code> accounts")


def _grant_in_bulk(users: dict, wanted: dict) -> None:
    """Add the role groups with one insert per role (``grant()`` one by one costs 42 round trips)."""
    through = get_user_model().groups.through
    for role, head in ((Role.OFFICER, False), (Role.DEPT_HEAD, True)):
        group, _created = Group.objects.get_or_create(name=role.value)
        through.objects.bulk_create(
            [
                through(user_id=users[name].pk, group_id=group.pk)
                for name, (_department, is_head, _title) in wanted.items()
                if is_head is head
            ],
            ignore_conflicts=True,
        )
