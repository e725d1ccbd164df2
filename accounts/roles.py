"""The platform's roles, each a Django group, and what follows from holding one.

This module is the one place that knows which role lands on which page and which
roles may watch the wall screen; views, the API and consumers ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GRID_WORKER = "grid_worker", _("Grid worker")
    DISPATCHER = "dispatcher", _("Dispatcher")
    OFFICER = "officer", _("Department officer")
    DEPT_HEAD = "dept_head", _("Department head")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


# Where each role starts after signing in; the first role a user holds in this order wins.
LANDING_URL_NAMES: dict[Role, str] = {
    Role.LEADER: "dashboard",
    Role.DISPATCHER: "console",
    Role.DEPT_HEAD: "workbench",
    Role.OFFICER: "workbench",
    Role.GRID_WORKER: "mobile-home",
    Role.ADMIN: "admin:index",
}

# When a user holds several roles that may each take a step, they act in the first one
# here: the narrowest job first (their own grid, their own department), the
# administrator last. The one order for every domain.
ROLE_PRECEDENCE: tuple[Role, ...] = (
    Role.GRID_WORKER,
    Role.DEPT_HEAD,
    Role.OFFICER,
    Role.DISPATCHER,
    Role.LEADER,
    Role.ADMIN,
)

WALL_SCREEN_ROLES = frozenset({Role.LEADER, Role.DISPATCHER, Role.ADMIN})
CENTRE_ROLES = frozenset({Role.DISPATCHER, Role.LEADER, Role.ADMIN})
DEPARTMENT_ROLES = frozenset({Role.OFFICER, Role.DEPT_HEAD})

_CACHE_ATTR = "_gridcenter_roles"


def roles_of(user: User | AnonymousUser) -> frozenset[Role]:
    """The roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def acting_role(user, roles: Iterable[Role]) -> Role | None:
    """The role, among ``roles``, that ``user`` acts in (``ROLE_PRECEDENCE``), or ``None``."""
    held = roles_of(user) & set(roles)
    return next((role for role in ROLE_PRECEDENCE if role in held), None)


def landing_url(user) -> str:
    held = roles_of(user)
    for role, url_name in LANDING_URL_NAMES.items():
        if role in held:
            return reverse(url_name)
    return reverse("no-role")


def grant(user, *roles: Role) -> None:
    """Give a user roles (creating the groups if a fresh database lacks them)."""
    for role in roles:
        group, _created = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
