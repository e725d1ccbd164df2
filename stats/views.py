"""/stats/: the statistics page (centre roles, and departments over their own cases) and its
exports. The figures come from ``stats.services``; a bad query shows its messages (400)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView
from rest_framework.exceptions import ValidationError

from accounts.permissions import AuthenticatedHttpRequest, RoleRequiredMixin
from departments.models import Department
from exports.views import answer
from grids.models import Township
from incidents.choices import CaseSource, CaseStatus, WallScreenFigure
from incidents.models import MajorCategory
from stats.api.views import STATS_ROLES
from stats.services import export, hotspots, tables
from stats.services.breakdown import figures
from stats.services.query import ALL_DIMENSIONS, Query, case_list_url, messages, parse

PAGE_TABLES = ("breakdown", "hour_weekday", "rising_grid", "rising_subcategory", "repeats")


def _chart(table: tables.Table, dims: tuple[str, ...]) -> dict:
    """The first dimension's totals for the bar or line chart."""
    totals: dict[str, int] = {}
    for row in table.rows:
        totals[row[0].text] = totals.get(row[0].text, 0) + int(row[len(dims)].value or 0)
    return {"labels": list(totals), "values": list(totals.values()), "time": dims[0] in ("day", "week", "month")}


def figure_cells(user, query: Query) -> list[dict]:
    """The wall screen's five figures over the period's cases, each linking to its cases."""
    counts = figures(user, query)
    base = case_list_url(user, query, {})
    cells = []
    for figure in WallScreenFigure:
        href = ""
        if base and counts[figure.value]:
            statuses = [] if figure == WallScreenFigure.RECEIVED else sorted(str(s) for s in figure.statuses)
            href = base + "".join(f"&{urlencode({'status': status})}" for status in statuses)
        cells.append({"key": figure.value, "label": figure.label, "count": counts[figure.value], "href": href})
    return cells


class StatsView(RoleRequiredMixin, TemplateView):
    template_name = "stats/index.html"
    allowed_roles = STATS_ROLES
    request: AuthenticatedHttpRequest

    def get(self, request, *args, **kwargs):
        self.query: Query | None = None
        self.errors: dict[str, list[str]] = {}
        try:
            self.query = parse(request.GET)
        except ValidationError as error:
            self.errors = messages(error)
        response = self.render_to_response(self.get_context_data(**kwargs))
        if self.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        by = (data.get("by") or "category").split(",")
        values = {key: data.get(key, "") for key in ("from", "to", "township", "department", "major", "source")}
        if self.query is not None:
            values.update({"from": self.query.start.isoformat(), "to": self.query.end.isoformat()})
        context.update(
            query=self.query,
            errors=self.errors,
            values=values,
            by_first=by[0],
            by_second=by[1] if len(by) > 1 else "",
            dimensions=[(dim, tables.DIMENSION_LABELS[dim]) for dim in ALL_DIMENSIONS],
            townships=Township.objects.order_by("code").values_list("code", "name"),
            departments=Department.objects.order_by("code").values_list("code", "name"),
            majors=MajorCategory.objects.order_by("code").values_list("code", "name"),
            sources=CaseSource.choices,
            statuses=CaseStatus.choices,
            heat_url=reverse("api-grids-geojson"),
        )
        if self.query is None:
            return context
        user, query = self.request.user, self.query
        built = {name: tables.build(name, user, query) for name in PAGE_TABLES}
        context.update(
            query=query,
            tables=built,
            figures=figure_cells(user, query),
            charts={
                "breakdown": _chart(built["breakdown"], query.dims),
                "hours": [[cell.value for cell in row[1:25]] for row in built["hour_weekday"].rows],
                "weekdays": [row[0].text for row in built["hour_weekday"].rows],
                "heat": hotspots.heat(user, query),
            },
            export_params=[(k, v) for k, values in query.params().items() for v in values],
        )
        return context


class StatsExportView(RoleRequiredMixin, View):
    allowed_roles = STATS_ROLES

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponseBase:
        table, fmt = request.POST.get("table", ""), request.POST.get("format", "")
        if table not in tables.BUILDERS or fmt not in export.FORMATS:
            return HttpResponseBadRequest("Unknown table or format.")
        try:
            query = parse(request.POST, max_days=settings.STATS_EXPORT_MAX_DAYS)
        except ValidationError as error:
            return HttpResponseBadRequest("; ".join(f"{key}: {' '.join(v)}" for key, v in messages(error).items()))
        return answer(export.request(request.user, table, fmt, query))
