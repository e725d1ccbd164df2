from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import Case, CaseEvent, MajorCategory, SubCategory


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


EVENT_FIELDS = ("created_at", "action", "actor", "actor_role", "department", "from_status", "to_status", "note")


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = EVENT_FIELDS
    readonly_fields = EVENT_FIELDS
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases, read-only: every change goes through the lifecycle functions (incidents.services)."""

    list_display = ["tracking_no", "status", "subcategory", "grid", "lead_department", "deadline", "created_at"]
    list_filter = ["status", "source", "urgency", "lead_department"]
    search_fields = ["tracking_no", "description", "address"]
    list_select_related = ["subcategory", "grid", "lead_department"]
    date_hierarchy = "created_at"
    inlines = [CaseEventInline]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in Case._meta.fields] + ["assisting_departments"]

    def has_add_permission(self, request) -> bool:
        return False  # cases are reported through the API or the console

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
