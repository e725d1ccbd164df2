from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from departments.models import Department, Officer
from departments.services import sync_roles

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class OfficerTotal(TypedDict):
        officer_total: int


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "is_head", "phone"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "former_name", "name_en", "officer_count", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "former_name", "name_en"]
    inlines = [OfficerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(officer_total=Count("officers"))

    @admin.display(description=_("officers"), ordering="officer_total")
    def officer_count(self, obj: WithAnnotations[Department, OfficerTotal]) -> int:
        return obj.officer_total

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Officer:
            for officer in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                sync_roles(officer)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Cases point at departments: retire one (untick "active") instead.
        return False


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "is_head", "phone"]
    list_filter = ["is_head", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "department__code", "department__name"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_roles(obj)
