from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the domain, read by their recipients."""

    list_display = ["created_at", "recipient", "kind", "case", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "case__tracking_no", "text"]
    raw_id_fields = ["recipient", "case", "event"]
    list_select_related = ["recipient", "case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
