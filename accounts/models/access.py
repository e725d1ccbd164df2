"""The access record (等保 / PIPL): who signed in or failed to, who made or ended an API token,
who exported data, who saw a caller's full contact, every step of two-factor sign-in (turned on,
codes given right and wrong, recovery codes used, turned off or reset); when, from which
address, about what.

Rows are written by ``accounts.services.access`` only, never changed: a database trigger
refuses every UPDATE, and refuses a DELETE unless the prune task (the one caller that sets
``gridcenter.access_record_days`` for its transaction) deletes a row older than that many
days (``ACCESS_RECORD_DAYS``). The user is kept as an id and a name without a foreign-key
constraint, so deleting an account neither changes nor loses its record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EXPORT = "export", _("Export requested")
    CONTACT_VIEWED = "contact_viewed", _("Caller's contact viewed")
    MFA_ENROLLED = "mfa_enrolled", _("Two-factor authentication turned on")
    MFA_VERIFIED = "mfa_verified", _("Two-factor code accepted")
    MFA_FAILED = "mfa_failed", _("Wrong two-factor code")
    MFA_RECOVERY_USED = "mfa_recovery_used", _("Recovery code used")
    MFA_CODES_RENEWED = "mfa_codes_renewed", _("Recovery codes renewed")
    MFA_DISABLED = "mfa_disabled", _("Two-factor authentication turned off")
    MFA_RESET = "mfa_reset", _("Two-factor authentication reset by an administrator")


class AccessChannel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    SYSTEM = "system", _("System")


class AccessRecord(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=AccessChannel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    target = models.CharField(_("about"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "at"]), models.Index(fields=["user", "at"])]
        verbose_name = _("access record")
        verbose_name_plural = _("access records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"
