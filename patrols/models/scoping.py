"""The visibility rule of field-work records, in one place for patrols and diaries."""

from __future__ import annotations

from django.db import models

from accounts.roles import CENTRE_ROLES, Role, roles_of


class OwnedByWorkerQuerySet(models.QuerySet):
    """Rows that belong to one grid worker (field ``worker``).

    The command centre (dispatchers, leaders, administrators) sees every row; a grid
    worker sees their own; anyone else (department staff, residents) nothing.
    """

    def visible_to(self, user) -> OwnedByWorkerQuerySet:
        roles = roles_of(user)
        if roles & CENTRE_ROLES:
            return self.all()
        if Role.GRID_WORKER in roles:
            return self.filter(worker=user)
        return self.none()
