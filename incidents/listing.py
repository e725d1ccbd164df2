"""The case lists of the pages: filters, search and sort from the URL, the same for the export.

The URL is the saved filter: ``?q=…&grid=…&ordering=-deadline&page=2`` round-trips (a
bookmark or a shared link opens the same list). The filters are the API's
(``incidents.filtersets.CaseFilterSet``, with pickers for a page); a sort the lists do
not know is dropped (the list's own order applies), never an error. ``listed_cases``
rebuilds a page's list from its query (the case-list export, in a request or a worker),
always through ``Case.objects.visible_to``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import F, Q, QuerySet, When
from django.http import QueryDict

from accounts.roles import Role, has_role
from departments.models import Department
from departments.selectors import officer_of
from incidents.choices import CaseStatus
from incidents.filtersets import clean_sort
from incidents.forms import ConsoleCaseFilterSet
from incidents.models import Case

# The workbench's own parameters (its tab; the department an administrator looks at): not filters.
WORKBENCH_PARAMS = ("tab", "department")
CONSOLE_ORDER = ("-created_at", "-id")
# What a lead department holds (its clock runs); what it has handed on for review or closed.
HELD = tuple(CaseStatus.CLOCK_RUNNING)
HANDLED = (CaseStatus.RESOLVED, CaseStatus.CLOSED)
INBOX_TABS = ("inbox", "assisting", "handled")


def list_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may see, with what the lists show."""
    return Case.objects.visible_to(user).select_related(
        "subcategory__major", "grid__community__township", "lead_department", "assigned_officer", "reporter"
    )


@dataclass
class CaseList:
    filterset: ConsoleCaseFilterSet
    cases: QuerySet[Case]
    valid: bool
    query: str  # the filters and sort, without the page: for the pager and the export links
    sort: str  # the sort in force ("" for the list's own order)


def clean_query(params: QueryDict) -> QueryDict:
    """The filters of ``params`` without the page, and without a sort the lists do not know."""
    data = params.copy()
    data.pop("page", None)
    if "ordering" in data and clean_sort(data.get("ordering")) is None:
        data.pop("ordering")
    return data


def case_list(
    params: QueryDict, cases: QuerySet[Case], default_order: Sequence[Any], *, own: Sequence[str] = ()
) -> CaseList:
    """``cases`` filtered, searched and sorted as ``params`` (a page's URL) say.

    ``own`` names parameters of the page itself (a workbench tab): kept in the query, not filters.
    """
    data = clean_query(params)
    filters = data.copy()
    for name in own:
        filters.pop(name, None)
    filterset = ConsoleCaseFilterSet(filters or None, queryset=cases)
    valid = not filterset.is_bound or filterset.is_valid()
    found = filterset.qs if valid else cases.none()
    sort = data.get("ordering", "")
    # The list's own order, or the chosen one with the id as the tie-breaker (stable pages).
    found = found.order_by(*default_order) if not sort else found.order_by(*found.query.order_by, "id")
    return CaseList(filterset, found, valid, data.urlencode(), sort)


# --- the department workbench ---------------------------------------------------------------------


def workbench_department(user, params: QueryDict) -> tuple[Department | None, bool]:
    """The department the user works for and whether they see all of it (head, administrator)."""
    officer = officer_of(user)
    if officer is not None:
        return officer.department, officer.is_head
    if has_role(user, Role.ADMIN):
        code = params.get("department", "").strip()
        return (Department.objects.filter(code__iexact=code).first() if code else None), True
    return None, False


def inbox_cases(user, department: Department, sees_all: bool, tab: str) -> QuerySet[Case]:
    """One tab of a department's workbench: held (its inbox), assisting, or handled."""
    cases = list_cases(user)
    if tab == "assisting":
        return cases.filter(assisting_departments=department, status__in=CaseStatus.ACTIVE).exclude(
            lead_department=department
        )
    if tab == "handled":
        return cases.filter(lead_department=department, status__in=HANDLED)
    held = cases.filter(lead_department=department, status__in=HELD)
    if not sees_all:
        held = held.filter(Q(assigned_officer=user) | Q(assigned_officer__isnull=True))
    return held


def inbox_order(tab: str) -> tuple[Any, ...]:
    if tab == "handled":
        return ("-updated_at", "-id")
    # Urged (督办) cases first, then by deadline.
    return (CaseWhen(When(urge_count__gt=0, then=0), default=1), F("deadline").asc(nulls_last=True), "created_at", "id")


def inbox_tab(params: QueryDict) -> str:
    tab = params.get("tab", "inbox")
    return tab if tab in INBOX_TABS else "inbox"


def listed_cases(user, area: str, params: QueryDict) -> CaseList:
    """The list a page of ``area`` ("console" or "workbench") shows for ``params``, unpaged."""
    if area == "workbench":
        department, sees_all = workbench_department(user, params)
        if department is None:
            return case_list(params, Case.objects.none(), CONSOLE_ORDER)
        tab = inbox_tab(params)
        return case_list(params, inbox_cases(user, department, sees_all, tab), inbox_order(tab), own=WORKBENCH_PARAMS)
    return case_list(params, list_cases(user), CONSOLE_ORDER)
