from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import MajorCategory, SubCategory


class SubCategoryInline(admin.TabularInline):
    model = SubCategory
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["code", "name", "lead_department", "limit_amount", "limit_unit", "urgency", "is_active"]
    autocomplete_fields = ["lead_department"]


@admin.register(MajorCategory)
class MajorCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "is_active"]
    list_filter = ["domain", "is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [SubCategoryInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retire (untick "active") instead: cases keep their category


@admin.register(SubCategory)
class SubCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "major", "lead_department", "limit_display", "urgency", "is_active"]
    list_filter = ["is_active", "urgency", "limit_unit", "major__domain", "lead_department"]
    search_fields = ["code", "name", "name_en", "major__name"]
    list_select_related = ["major", "lead_department"]
    autocomplete_fields = ["major", "lead_department", "assisting_departments"]
    actions = ["retire", "reactivate"]

    @admin.display(description=_("time limit"))
    def limit_display(self, obj: SubCategory) -> str:
        return obj.limit_display

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retire, never delete: a case keeps the sub-item it was dispatched with

    @admin.action(description=_("Retire the selected sub-items"), permissions=["change"])
    def retire(self, request, queryset) -> None:
        for sub in queryset.filter(is_active=True):
            sub.is_active = False
            sub.save(update_fields=["is_active"])

    @admin.action(description=_("Reactivate the selected sub-items"), permissions=["change"])
    def reactivate(self, request, queryset) -> None:
        for sub in queryset.filter(is_active=False):
            sub.is_active = True
            sub.save(update_fields=["is_active"])
