"""In-app notifications: one row per person told, written before anything is pushed.

A notification is a row first (in the transaction of the step that caused it), then a
live push on ``/ws/user/`` and deliveries through the adapters after commit: Redis or a
gateway being down loses a push or delays a message, never the notification.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.choices import NotificationKind


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    # The case it is about; none for a notification about something else (an export ready),
    # which names the page it opens in ``link``.
    case = models.ForeignKey(
        "incidents.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    # The timeline row it came from (none for a row written by hand).
    event = models.ForeignKey(
        "incidents.CaseEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("timeline entry"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=500)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    link = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        default="",
        db_default="",
        help_text=_("The page it opens, if not a case's."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_newest"),
            models.Index(fields=["recipient"], name="notifications_unread", condition=Q(read_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NotificationKind.values), name="notifications_kind_valid"),
            models.CheckConstraint(condition=Q(case__isnull=False) | ~Q(link=""), name="notifications_case_or_link"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
