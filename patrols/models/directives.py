"""Directives (上级指令) from the command centre to grid workers, with read receipts.

The target (everyone, townships, communities, grids or named workers) is resolved to
one ``DirectiveRecipient`` row per grid worker when the directive is sent: a worker
who joins a grid later does not receive old directives, and the receipts say exactly
who was asked, who has read and who has replied.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import CENTRE_ROLES, Role, roles_of
from patrols.choices import DirectiveTarget, Urgency

STORAGE_SRID = 4326


class DirectiveQuerySet(models.QuerySet):
    def visible_to(self, user) -> DirectiveQuerySet:
        """The centre sees every directive; a grid worker those addressed to them."""
        roles = roles_of(user)
        if roles & CENTRE_ROLES:
            return self.all()
        if Role.GRID_WORKER in roles:
            return self.filter(pk__in=DirectiveRecipient.objects.filter(worker=user).values("directive_id"))
        return self.none()


class Directive(models.Model):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="directives_sent", verbose_name=_("sender")
    )
    text = models.TextField(_("text"), max_length=2000)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    location = models.PointField(_("location"), srid=STORAGE_SRID, null=True, blank=True, spatial_index=False)
    photo = models.FileField(_("photo"), max_length=200, blank=True)
    photo_thumbnail = models.FileField(_("photo thumbnail"), max_length=200, blank=True)
    reply_deadline = models.DateTimeField(_("reply by"), null=True, blank=True)
    target = models.CharField(_("sent to"), max_length=10, choices=DirectiveTarget.choices)
    # The ids of the townships, communities, grids or users the target names (empty for "all").
    target_ids = models.JSONField(_("target ids"), default=list, blank=True)
    target_label = models.CharField(_("recipients"), max_length=300)
    recipient_count = models.PositiveIntegerField(_("number of recipients"), default=0)
    client_uuid = models.UUIDField(_("client key"), unique=True, null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        indexes = [models.Index(fields=["-sent_at", "-id"], name="patrols_directive_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(target__in=DirectiveTarget.values), name="patrols_directive_target"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT


class DirectiveRecipient(models.Model):
    """One grid worker a directive was sent to: when they read it and what they replied."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("directive")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="directive_receipts",
        verbose_name=_("grid worker"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["directive", "id"]
        verbose_name = _("directive recipient")
        verbose_name_plural = _("directive recipients")
        constraints = [
            models.UniqueConstraint(fields=["directive", "worker"], name="patrols_recipient_once"),
        ]
        indexes = [
            # A worker's inbox and unread count.
            models.Index(fields=["worker", "read_at"], name="patrols_recipient_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.directive_id} → {self.worker_id}"
