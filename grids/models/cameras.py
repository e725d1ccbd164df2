"""Surveillance cameras: points on the map, each in the grid that covers it."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from grids.choices import CameraKind, CameraStatus
from grids.models.areas import STORAGE_SRID, Grid


class Camera(models.Model):
    """A surveillance camera 电子监控; ``code`` is its GB/T 28181 device id."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    point = models.PointField(_("location"), srid=STORAGE_SRID)
    grid = models.ForeignKey(
        Grid, on_delete=models.SET_NULL, null=True, blank=True, related_name="cameras", verbose_name=_("grid")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CameraKind.choices, default=CameraKind.SECURITY)
    status = models.CharField(_("status"), max_length=20, choices=CameraStatus.choices, default=CameraStatus.ONLINE)
    stream_url = models.CharField(_("stream URL"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
