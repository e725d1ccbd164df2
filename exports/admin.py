from django.contrib import admin

from exports.models import Export


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Read-only: the record of who exported what, when, and how it went."""

    list_display = ["created_at", "requested_by", "title", "state", "rows", "asynchronous", "finished_at"]
    list_filter = ["state", "kind", "asynchronous"]
    search_fields = ["requested_by__username", "title"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
