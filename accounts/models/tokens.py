"""Phones' API tokens: several per person (one per phone), each ending.

Only a SHA-256 digest of a token is stored (the phone holds the token itself), with its
first characters to tell tokens apart in a list. A token works until it is
``API_TOKEN_DAYS`` old (the setting is read at each check, so lowering it ends older
tokens at once) or revoked; revoked tokens stay, as the record of who ended them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenRevocation(models.TextChoices):
    USER = "user", _("Revoked by its owner")
    ADMIN = "admin", _("Revoked by an administrator")
    DEACTIVATED = "deactivated", _("Account deactivated")
    ROLE_REMOVED = "role_removed", _("Role removed")


def token_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still sign a phone in: not revoked, younger than ``API_TOKEN_DAYS``."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, created_at__gt=now - token_lifetime())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    device = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("why revoked"), max_length=20, choices=TokenRevocation.choices, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user", "-created_at"], name="apitoken_user_active", condition=models.Q(revoked_at=None)
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + token_lifetime()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
