"""Who may read which rows of the evaluation: the one rule for the pages, the API and the exports.

| who | reads |
| --- | --- |
| the centre (dispatcher, leader, administrator) | every kind of subject, every row |
| a department head | their department's row, and the rows of its officers |
| an officer | their own officer row |
| a grid worker | their own worker row (once the ``workers`` kind exists) |
| anyone else | nothing (403) |

A kind the person reads nothing of is a 403; a subject (key) they may not read is a 404,
as if it did not exist; an unknown kind is a 404 for everyone who reads any.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accounts.roles import CENTRE_ROLES, Role, roles_of
from departments.models import Officer
from departments.selectors import officer_of
from evaluation.columns import ordered_subjects
from evaluation.periods import Period
from evaluation.services import read
from gridcenter.errors import NotFoundError, PermissionDeniedError

Row = dict
RowRule = Callable[[Row], bool]


@dataclass(frozen=True)
class Reader:
    """What of the evaluation a person may read, from their roles and position."""

    centre: bool
    username: str
    department: str | None  # the code of the department they head
    officer: bool
    worker: bool

    def rule(self, subject: str) -> RowRule | None:
        """Which rows of ``subject`` they read (``None``: none at all)."""
        if self.centre:
            return lambda row: True
        own = self.username
        if subject == "departments" and self.department:
            return lambda row: row["key"] == self.department
        if subject == "officers" and (self.department or self.officer):
            return lambda row: row["key"] == own or (bool(self.department) and row.get("department") == self.department)
        if subject == "workers" and self.worker:
            return lambda row: row["key"] == own
        return None


def reader(user) -> Reader:
    held = roles_of(user)
    officer = officer_of(user) if held & {Role.DEPT_HEAD, Role.OFFICER} else None
    heads = officer is not None and officer.is_head and Role.DEPT_HEAD in held
    return Reader(
        centre=bool(held & CENTRE_ROLES),
        username=user.get_username() if held else "",
        department=officer.department.code if heads and officer else None,
        officer=Role.OFFICER in held or heads,
        worker=Role.GRID_WORKER in held,
    )


def subjects_for(user) -> list[str]:
    """The kinds of subject ``user`` reads any row of, in the pages' order."""
    who = reader(user)
    return ordered_subjects([subject for subject in read.SUBJECTS if who.rule(subject) is not None])


def may_read(user) -> bool:
    return bool(subjects_for(user))


def check_subject(user, subject: str) -> RowRule:
    """The rule for ``subject``'s rows: 403 for one who reads no evaluation or not this kind, 404 for no such kind."""
    if not may_read(user):
        raise PermissionDeniedError(_("Your role may not read the evaluation."))
    read.subject_kind(subject)
    rule = reader(user).rule(subject)
    if rule is None:
        raise PermissionDeniedError(_("Your role may not read this table of the evaluation."))
    return rule


def check_key(user, subject: str, key: str) -> None:
    """404 unless ``user`` may read the row ``key`` of ``subject`` (without computing the rows)."""
    rule = check_subject(user, subject)
    who = reader(user)
    row = {"key": key}
    if subject == "officers" and who.department and not who.centre:
        row["department"] = who.department if _works_for(key, who.department) else ""
    if not rule(row):
        raise NotFoundError(_("No such subject."))


def _works_for(username: str, department: str) -> bool:
    return Officer.objects.filter(user__username=username, department__code=department).exists()


def rows_of(period: Period, subject: str, version: int | None = None) -> list[Row]:
    """``read.rows``, of a published version when asked and once the read layer knows versions."""
    if version is None:
        return read.rows(period, subject)
    versioned: Callable[..., list[Row]] = read.rows
    if "version" not in inspect.signature(versioned).parameters:
        raise NotFoundError(_("This month has no published version %(version)s.") % {"version": version})
    return versioned(period, subject, version=version)


def rounds_of(period: Period, subject: str, key: str, figure: str, version: int | None = None) -> list[dict]:
    """``read.rounds``, of a published version as ``rows_of`` (the caller checked the key with ``check_key``)."""
    if version is None:
        return read.rounds(period, subject, key, figure)
    versioned: Callable[..., list[dict]] = read.rounds
    if "version" not in inspect.signature(versioned).parameters:
        raise NotFoundError(_("This month has no published version %(version)s.") % {"version": version})
    return versioned(period, subject, key, figure, version=version)


def visible_rows(user, period: Period, subject: str, version: int | None = None) -> list[Row]:
    """The rows of ``subject`` that ``user`` may read (403/404 as ``check_subject`` says), in rank order."""
    rule = check_subject(user, subject)
    return [row for row in rows_of(period, subject, version) if rule(row)]
