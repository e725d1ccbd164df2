"""Names and keys of the dimensions' values: the reference rows, loaded once per breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from departments.models import Department
from grids.models import Grid
from incidents.models import SubCategory

WEEKDAYS = ("", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class GridInfo(NamedTuple):
    code: str
    name: str
    community_code: str
    community_name: str
    township_code: str
    township_name: str


@dataclass
class Lookup:
    subcategories: dict[int, tuple[str, str, str, str]]
    grids: dict[int, GridInfo]
    departments: dict[int, tuple[str, str]]

    @classmethod
    def load(cls, dims) -> Lookup:
        dims = set(dims)
        subcategories: dict = {}
        grids: dict[int, GridInfo] = {}
        departments: dict = {}
        if dims & {"category", "subcategory"}:
            rows = SubCategory.objects.values_list("id", "code", "name", "major__code", "major__name")
            subcategories = {row[0]: row[1:] for row in rows}
        if dims & {"township", "community", "grid"}:
            fields = ("id", "code", "name", "community__code", "community__name", "community__township__code")
            places = Grid.objects.values_list(*fields, "community__township__name")
            grids = {place[0]: GridInfo._make(place[1:]) for place in places}
        if "department" in dims:
            departments = {row[0]: row[1:] for row in Department.objects.values_list("id", "code", "name")}
        return cls(subcategories, grids, departments)


def weekday_label(number: int) -> str:
    return _(WEEKDAYS[number])


def time_item(make: Any, dim: str, value):
    """A time bucket: its key, label, and the days it spans (the case list filters by days)."""
    if dim == "hour":
        return make(f"{value:02d}", f"{value:02d}:00", None)
    if dim == "weekday":
        return make(str(value), weekday_label(value), None)
    start: date = value
    if dim == "day":
        end = start
        label = start.isoformat()
    elif dim == "week":
        end = start + timedelta(days=6)
        label = _("Week of %(day)s") % {"day": start.isoformat()}
    else:
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        label = date_format(start, "Y-m")
    return make(start.isoformat() if dim != "month" else label, label, {}, start, end)
