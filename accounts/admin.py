"""The accounts in the admin: API tokens (read-only, revoke: a lost phone), the access record
(read-only), and people with their two-factor state (reset: a lost phone)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessRecord, ApiToken
from accounts.roles import Role, has_role
from accounts.services import mfa, tokens


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


class MfaStatusFilter(admin.SimpleListFilter):
    title = _("two-factor authentication")
    parameter_name = "mfa"

    def lookups(self, request, model_admin):
        return [("on", _("On")), ("off", _("Off"))]

    def queryset(self, request, queryset):
        with_device = queryset.filter(totpdevice__confirmed=True).values("pk")
        if self.value() == "on":
            return queryset.filter(pk__in=with_device)
        if self.value() == "off":
            return queryset.exclude(pk__in=with_device)
        return queryset


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, with each person's two-factor state and the reset of a lost phone."""

    list_display = ["username", "email", "first_name", "last_name", "is_staff", "mfa_on"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", MfaStatusFilter]
    actions = ["reset_mfa"]

    @admin.display(boolean=True, description=_("two-factor authentication"), ordering="has_mfa")
    def mfa_on(self, user: User) -> bool:
        return getattr(user, "has_mfa", False)

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_mfa=Exists(devices))

    @admin.action(description=_("Reset two-factor authentication (lost phone)"), permissions=["change"])
    def reset_mfa(self, request, queryset) -> None:
        count = mfa.reset_by_admin(request.user, queryset, request=request)
        message = ngettext(
            "Two-factor authentication reset for %(count)d person: they set it up again at their next sign-in.",
            "Two-factor authentication reset for %(count)d people: they set it up again at their next sign-in.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


# The authenticators' secrets and the recovery codes stay out of the admin (django-otp's own
# admins would show and edit them); an administrator resets a person's instead (above).
for model in (TOTPDevice, StaticDevice, User):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
admin.site.register(User, UserAdmin)
