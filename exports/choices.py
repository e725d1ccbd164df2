"""Choices of the exports app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    """Where an export is: waiting for a worker, being built, ready to download, or failed."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")

    @classmethod
    def finished(cls) -> frozenset[ExportState]:
        return frozenset({cls.DONE, cls.FAILED})
