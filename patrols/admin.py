"""Field work in the admin: read-only. Patrols, diaries and directives change only through
the domain functions (the phone API and the centre's pages)."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from patrols.models import DiaryComment, DiaryEntry, Directive, DirectiveRecipient, Patrol


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin, GISModelAdmin):
    list_display = ["id", "worker", "grid", "status", "started_at", "duration_s", "distance_m", "point_count"]
    list_filter = ["status", "auto_closed", "started_at"]
    search_fields = ["worker__username", "worker__last_name", "grid__code", "grid__name"]
    list_select_related = ["worker", "grid"]
    date_hierarchy = "started_at"


class DiaryCommentInline(ReadOnlyInline):
    model = DiaryComment
    fields = ["author", "text", "created_at"]


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ReadOnlyAdmin, GISModelAdmin):
    list_display = ["id", "worker", "type", "occurred_at", "place", "grid", "on_behalf", "entered_by"]
    list_filter = ["type", "on_behalf", "occurred_at"]
    search_fields = ["worker__username", "worker__last_name", "place", "content"]
    list_select_related = ["worker", "grid", "entered_by"]
    date_hierarchy = "occurred_at"
    inlines = [DiaryCommentInline]


class RecipientInline(ReadOnlyInline):
    model = DirectiveRecipient
    fields = ["worker", "read_at", "reply", "replied_at"]


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin, GISModelAdmin):
    list_display = ["id", "sent_at", "urgency", "target", "target_label", "recipient_count", "sender"]
    list_filter = ["urgency", "target", "sent_at"]
    search_fields = ["text", "target_label"]
    list_select_related = ["sender"]
    date_hierarchy = "sent_at"
    inlines = [RecipientInline]
