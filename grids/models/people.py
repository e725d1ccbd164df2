"""Grid workers (网格员): who serves which grids, and their public contact (公示)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from grids.choices import Employment
from grids.models.areas import Grid


class GridWorker(models.Model):
    """A grid worker 网格员. Only ``name`` and ``phone`` of a public (公示) worker are public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grid_worker", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20)
    grids = models.ManyToManyField(Grid, related_name="workers", blank=True, verbose_name=_("grids"))
    employment = models.CharField(
        _("employment"), max_length=10, choices=Employment.choices, default=Employment.FULL_TIME
    )
    is_lead = models.BooleanField(_("grid lead"), default=False, help_text=_("网格长: leads the grid's team."))
    is_public = models.BooleanField(
        _("public contact"),
        default=False,
        help_text=_("Show name and phone to the public (公示); the default for a grid lead."),
    )

    class Meta:
        verbose_name = _("grid worker")
        verbose_name_plural = _("grid workers")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.name
