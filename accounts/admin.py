"""API tokens in the admin: every person's tokens, read-only, with a revoke action (a lost phone)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import AccessRecord, ApiToken
from accounts.roles import Role, has_role
from accounts.services import tokens


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "device", "created_at", "last_used_at", "expires_at", "active", "revoked_reason"]
    list_filter = ["revoked_reason", "created_at"]
    search_fields = ["user__username", "user__last_name", "prefix", "device"]
    list_select_related = ["user"]
    readonly_fields = [field.name for field in ApiToken._meta.fields if field.name != "digest"]
    exclude = ["digest"]
    actions = ["revoke"]

    @admin.display(boolean=True, description=_("active"))
    def active(self, token: ApiToken) -> bool:
        return token.is_active

    @admin.display(description=_("expires"))
    def expires_at(self, token: ApiToken):
        return token.expires_at

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset) -> None:
        count = tokens.revoke_by_admin(request.user, queryset, request=request)
        message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("accounts.change_apitoken")

    def has_add_permission(self, request) -> bool:
        return False  # tokens are issued by signing in on the phone

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a revoked token stays as the record of who ended it


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The access record, for the admin to read: nobody adds, changes or deletes a row here
    (the database refuses changes anyway; old rows go by the daily prune)."""

    list_display = ["at", "kind", "channel", "username", "client_ip", "target", "detail"]
    list_filter = ["kind", "channel", "at"]
    search_fields = ["username", "client_ip", "target", "detail"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AccessRecord._meta.fields]
    actions = None

    def has_view_permission(self, request, obj=None) -> bool:
        return has_role(request.user, Role.ADMIN)  # superusers hold it too

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
