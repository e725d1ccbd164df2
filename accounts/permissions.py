"""Role checks for pages (a mixin) and for the API (a DRF permission)."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.views import View
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from accounts.roles import Role, has_role


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page only signed-in users reach (for type checkers: its user is a ``User``)."""

    user: User


class AuthenticatedRequest(Request):
    """An API request that passed ``IsAuthenticated`` (the default permission)."""

    user: User


class RoleRequiredMixin(AccessMixin, View):
    """A page for the named roles: anonymous users go to the login page, others get 403."""

    allowed_roles: frozenset[Role] = frozenset()
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


def role_permission(*roles: Role) -> type[BasePermission]:
    """A DRF permission class admitting only users who hold one of ``roles``."""

    class HasRole(BasePermission):
        message = "Your role may not do this."

        def has_permission(self, request, view) -> bool:
            return has_role(request.user, *roles)

    HasRole.__name__ = "HasRole_" + "_".join(role.value for role in roles)
    return HasRole
