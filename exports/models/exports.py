"""One row per export asked for: who asked for what, when, how far it got, and its file.

The row is the record (kept after the file is gone) and the job: a Celery worker claims a
pending row with a compare-and-set update (``exports.services.run``), so a task that is
delivered twice builds the file once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports.choices import ExportState


class Export(models.Model):
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports", verbose_name=_("asked by")
    )
    # Which builder makes the file (``exports.services.register``), and what it was asked for.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows (estimated)"), default=0)
    asynchronous = models.BooleanField(_("built in the background"), default=False)
    state = models.CharField(_("state"), max_length=8, choices=ExportState.choices, default=ExportState.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Stored under MEDIA_ROOT/exports/ with an unguessable name; downloaded as ``filename``.
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exports_mine")]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ExportState.values), name="exports_state_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="exports_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def is_ready(self) -> bool:
        return self.state == ExportState.DONE

    @property
    def is_finished(self) -> bool:
        return self.state in ExportState.finished()
