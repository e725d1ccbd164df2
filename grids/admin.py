"""Everything of the grids app in the admin, geometries on Leaflet maps."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from grids.forms import GridImportForm
from grids.importer import ImportError_, import_uploaded_file
from grids.models import Camera, Community, Generation, Grid, GridWorker, Township
from grids.services import activate_generation

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class GridTotal(TypedDict):
        grid_total: int


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["id", "description", "created", "is_active", "grid_count"]
    readonly_fields = ["created", "is_active"]
    actions = ["make_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(grid_total=Count("grids"))

    @admin.display(description=_("grids"), ordering="grid_total")
    def grid_count(self, obj: WithAnnotations[Generation, GridTotal]) -> int:
        return obj.grid_total

    @admin.action(description=_("Make the selected generation the live grid map"))
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one generation."), messages.ERROR)
            return
        activate_generation(queryset.get())
        self.message_user(request, _("Generation activated."), messages.SUCCESS)


@admin.register(Township)
class TownshipAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Community)
class CommunityAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "kind", "township"]
    list_filter = ["kind", "township"]
    search_fields = ["code", "name"]
    list_select_related = ["township"]


@admin.register(Grid)
class GridAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "community", "population", "households", "generation"]
    list_filter = ["generation__is_active", "community__township"]
    search_fields = ["code", "name", "community__name"]
    list_select_related = ["community", "generation"]
    autocomplete_fields = ["community"]
    change_list_template = "admin/grids/grid/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="grids_grid_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a grid map: the same core as ``manage.py import_grids``, dry run by default."""
        if not self.has_add_permission(request):
            return TemplateResponse(request, "admin/grids/grid/import.html", {"denied": True}, status=403)
        report = None
        form = GridImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report = import_uploaded_file(
                    data["file"],
                    fields=form.field_map(),
                    commit=data["commit"],
                    activate=data["activate"],
                    source_srid=data["srid"],
                    repair=data["repair"],
                    description=data["description"],
                )
            except ImportError_ as error:
                form.add_error("file", str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a grid map"),
            "form": form,
            "report": report,
            "changelist_url": reverse("admin:grids_grid_changelist"),
        }
        return TemplateResponse(request, "admin/grids/grid/import.html", context)


@admin.register(GridWorker)
class GridWorkerAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "phone", "employment", "is_lead", "is_public"]
    list_filter = ["employment", "is_lead", "is_public"]
    search_fields = ["name", "phone", "user__username", "grids__code", "grids__name"]
    autocomplete_fields = ["user", "grids"]
    list_select_related = ["user"]


@admin.register(Camera)
class CameraAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "kind", "status", "grid"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name"]
    list_select_related = ["grid"]
    raw_id_fields = ["grid"]
