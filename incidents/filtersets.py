"""The case list's filters: one FilterSet, used by the API and by the list pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gridcenter import dates
from gridcenter.filters import BooleanFilter
from incidents.choices import CaseSource, CaseStatus, SlaRequestKind, Urgency
from incidents.models import Case
from incidents.services import sla


def _id_or_code(value: str, id_field: str, code_field: str) -> Q:
    value = value.strip()
    return Q(**{id_field: int(value)}) if value.isdigit() and len(value) < 10 else Q(**{code_field: value})


# Said whole, in the page's language (django-filter's "Created at (descending)" is English).
ORDERINGS = [
    ("-created_at", _("Newest reports first")),
    ("created_at", _("Oldest reports first")),
    ("deadline", _("Nearest deadline first")),
    ("-deadline", _("Furthest deadline first")),
    ("-updated_at", _("Last changed first")),
    ("updated_at", _("Least recently changed first")),
    ("tracking_no", _("Tracking number, ascending")),
    ("-tracking_no", _("Tracking number, descending")),
    ("status", _("Status, ascending")),
    ("-status", _("Status, descending")),
    ("subcategory", _("Sub-item, ascending")),
    ("-subcategory", _("Sub-item, descending")),
    ("grid", _("Grid, ascending")),
    ("-grid", _("Grid, descending")),
    ("department", _("Lead department, ascending")),
    ("-department", _("Lead department, descending")),
]
# The whitelist of sort keys (the list pages' column headers): key → model field.
SORT_FIELDS = {
    "created_at": "created_at",
    "deadline": "deadline",
    "updated_at": "updated_at",
    "tracking_no": "tracking_no",
    "status": "status",
    "subcategory": "subcategory__code",
    "grid": "grid__code",
    "department": "lead_department__code",
}
SORT_VALUES = frozenset(value for value, _label in ORDERINGS)


def clean_sort(value: str | None) -> str | None:
    """A sort the lists know (``-`` for descending), or ``None``: an unknown one is ignored."""
    value = (value or "").strip()
    return value if value in SORT_VALUES else None


class CaseFilterSet(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("status"))
    source = filters.MultipleChoiceFilter(choices=CaseSource.choices, label=_("source"))
    urgency = filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    grid = filters.CharFilter(method="filter_grid", label=_("grid (id or code)"))
    township = filters.CharFilter(field_name="grid__community__township__code", label=_("township code"))
    department = filters.CharFilter(method="filter_department", label=_("lead department (id or code)"))
    subcategory = filters.CharFilter(field_name="subcategory__code", label=_("sub-item code"))
    major = filters.CharFilter(field_name="subcategory__major__code", label=_("major category code"))
    created = dates.DateFromToRangeFilter(field_name="created_at", label=_("reported between (dates)"))
    overdue = BooleanFilter(method="filter_overdue", label=_("overdue"))
    held = BooleanFilter(method="filter_held", label=_("on hold"))
    waiting = filters.ChoiceFilter(
        choices=SlaRequestKind.choices, method="filter_waiting", label=_("request waiting for the centre")
    )
    q = filters.CharFilter(method="filter_text", label=_("tracking number, address or description"))
    ordering = filters.OrderingFilter(
        fields=tuple((field, key) for key, field in SORT_FIELDS.items()),
        choices=ORDERINGS,
        label=_("order"),
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_grid(self, queryset, name, value):
        return queryset.filter(_id_or_code(value, "grid_id", "grid__code"))

    def filter_department(self, queryset, name, value):
        return queryset.filter(_id_or_code(value, "lead_department_id", "lead_department__code__iexact"))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.overdue(now)
        return queryset.exclude(sla.overdue_q(now))

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(sla_pending=value) if value else queryset

    def filter_held(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(sla.held_q()) if value else queryset.exclude(sla.held_q())

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tracking_no__icontains=value) | Q(address__icontains=value) | Q(description__icontains=value)
        )
