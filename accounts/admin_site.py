"""Django's admin on a site that, like every page, wants the second factor where it is due.

``accounts.middleware.MfaMiddleware`` already sends a session that owes a code to the MFA
pages; this site checks again, as django-otp's ``OTPAdminSite`` does, so the admin never
opens on a password alone for a person who has or must have an authenticator. Installed as
``accounts.admin_site.AdminConfig`` in place of ``django.contrib.admin`` (its ``default_site``),
so every ``@admin.register`` lands on it. No model import here: INSTALLED_APPS loads it first.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        from accounts.services import mfa

        verified = getattr(request.user, "is_verified", lambda: False)()
        return super().has_permission(request) and mfa.pending_step(request.user, verified) is None


class AdminConfig(DjangoAdminConfig):
    default_site = "accounts.admin_site.AdminSite"
