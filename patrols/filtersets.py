"""The list filters of field work: one FilterSet per model, used by the API and the pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from gridcenter import dates
from gridcenter.filters import BooleanFilter
from patrols.choices import DiaryType, PatrolStatus, Urgency
from patrols.models import DiaryEntry, Directive, DirectiveRecipient, Patrol
from patrols.services.coverage import day_bounds


def _grid(queryset, value: str):
    value = value.strip()
    if value.isdigit() and len(value) < 10:
        return queryset.filter(grid_id=int(value))
    return queryset.filter(grid__code=value)


def _on_day(queryset, field: str, value):
    if not value:
        return queryset
    start, end = day_bounds(value)
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


class PatrolFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=PatrolStatus.choices, label=_("status"))
    worker = filters.NumberFilter(field_name="worker_id", label=_("grid worker (user id)"))
    grid = filters.CharFilter(method="filter_grid", label=_("grid (id or code)"))
    township = filters.CharFilter(field_name="grid__community__township__code", label=_("township code"))
    date = dates.DateFilter(method="filter_date", label=_("started on (local day)"))

    class Meta:
        model = Patrol
        fields: list[str] = []

    def filter_grid(self, queryset, name, value):
        return _grid(queryset, value)

    def filter_date(self, queryset, name, value):
        return _on_day(queryset, "started_at", value)


class DiaryFilterSet(filters.FilterSet):
    type = filters.ChoiceFilter(choices=DiaryType.choices, label=_("type"))
    worker = filters.NumberFilter(field_name="worker_id", label=_("grid worker (user id)"))
    grid = filters.CharFilter(method="filter_grid", label=_("grid (id or code)"))
    township = filters.CharFilter(field_name="grid__community__township__code", label=_("township code"))
    on_behalf = BooleanFilter(label=_("entered on the worker's behalf"))
    occurred = dates.DateFromToRangeFilter(method="filter_occurred", label=_("between (dates)"))

    class Meta:
        model = DiaryEntry
        fields: list[str] = []

    def filter_grid(self, queryset, name, value):
        return _grid(queryset, value)

    def filter_occurred(self, queryset, name, value):
        if value.start:
            queryset = queryset.filter(occurred_at__gte=day_bounds(value.start)[0])
        if value.stop:
            queryset = queryset.filter(occurred_at__lt=day_bounds(value.stop)[1])
        return queryset


class DirectiveFilterSet(filters.FilterSet):
    urgency = filters.ChoiceFilter(choices=Urgency.choices, label=_("urgency"))
    unread = BooleanFilter(method="filter_unread", label=_("unread by you (grid workers)"))

    class Meta:
        model = Directive
        fields: list[str] = []

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        unread = DirectiveRecipient.objects.filter(worker=self.request.user, read_at__isnull=True)
        rule = Q(pk__in=unread.values("directive_id"))
        return queryset.filter(rule) if value else queryset.exclude(rule)
