"""Who and where: the people who act in the history and the grids it happens in, from the database."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q
from shapely.geometry.base import BaseGeometry

from accounts.roles import Role
from departments.models import Department, Officer
from grids.models import Grid, GridWorker
from incidents.models import SubCategory


@dataclass
class Place:
    grid_id: int
    community: str
    polygon: BaseGeometry
    workers: list[User]  # the grid's active workers
    population: int = 0


@dataclass
class Cast:
    """Who acts in the history: the centre, the leader, each department's officer and head."""

    dispatcher: User
    leader: User | None
    officers: dict[int, User]  # department id → the officer who handles cases
    heads: dict[int, User]  # department id → the head
    departments: dict[int, Department]

    def officer(self, department_id: int) -> User | None:
        return self.officers.get(department_id) or self.heads.get(department_id)


def load_cast() -> Cast | None:
    users = get_user_model().objects

    def first(username: str, role: Role) -> User | None:
        return users.filter(username=username).first() or users.filter(groups__name=role.value).order_by("pk").first()

    dispatcher = first("dispatcher", Role.DISPATCHER)
    if dispatcher is None:
        return None
    officers: dict[int, User] = {}
    heads: dict[int, User] = {}
    for officer in Officer.objects.select_related("user").order_by("user__username"):
        (heads if officer.is_head else officers).setdefault(officer.department_id, officer.user)
    departments = {d.pk: d for d in Department.objects.filter(is_active=True)}
    return Cast(dispatcher, first("leader", Role.LEADER), officers, heads, departments)


def load_places() -> list[Place]:
    """The live map's grids, each with the grid workers who report and verify cases in it.

    A worker whose account is inactive (retired) keeps their grids but holds no role any more
    (``roles_of``): ``report_case`` and ``verify_case`` would refuse them, so they are left out.
    """
    links = GridWorker.grids.through.objects.values_list("grid_id", "gridworker__user_id")
    workers: dict[int, list[int]] = {}
    for grid_id, user_id in links:
        workers.setdefault(grid_id, []).append(user_id)
    wanted = {pk for ids in workers.values() for pk in ids}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=wanted, is_active=True)}
    places = []
    for grid in Grid.objects.active().select_related("community").order_by("code"):
        places.append(
            Place(
                grid.pk,
                grid.community.name,
                shapely.from_wkb(bytes(grid.boundary.wkb)),
                [users[pk] for pk in sorted(workers.get(grid.pk, [])) if pk in users],
                grid.population,
            )
        )
    return places


def load_subs() -> list[SubCategory]:
    return list(
        SubCategory.objects.filter(is_active=True, major__is_active=True)
        .filter(Q(lead_department__is_active=True))
        .select_related("lead_department")
        .order_by("code")
    )
