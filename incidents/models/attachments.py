"""Photos attached to a case: before, during and after handling.

Only re-encoded images are stored (``gridcenter.photos``): no original file, so no EXIF
and no GPS position in it, is ever kept or served. Files go through Django's default
storage (the filesystem by default, object storage by setting); the API serves them
only to people who may see the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.choices import AttachmentKind


class Attachment(models.Model):
    case = models.ForeignKey(
        "incidents.Case", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case")
    )
    event = models.ForeignKey(
        "incidents.CaseEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("timeline entry"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("photo"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_attachments",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name or ""
