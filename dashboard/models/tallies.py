"""Maintained counts of the cases, so the wall screen never counts all cases to draw itself.

PostgreSQL triggers on the case table and the timeline (migration 0002) append a
``TallyDelta`` row per changed count in the same transaction as the change, so no code
path can forget them and concurrent transactions never wait on a shared counter row.
``dashboard.rollups.fold`` moves the deltas into ``Tally`` from time to time; a reader
adds the two (``Tally`` + unfolded ``TallyDelta``) in one statement, which is exact at
any moment. ``dashboard.rollups.check`` compares them with a count over the cases and the
timeline, and ``repair`` rebuilds them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dashboard.choices import Bucket


class Tally(models.Model):
    """The folded total of one count: (bucket, day, dim, code) → n."""

    bucket = models.CharField(_("bucket"), max_length=16, choices=Bucket.choices)
    day = models.DateField(_("day"), null=True, blank=True)
    dim = models.BigIntegerField(_("dimension"), default=0)
    code = models.CharField(_("code"), max_length=32, blank=True, default="")
    n = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        # The charts read the days of a window (day >= …) across all buckets.
        indexes = [models.Index(fields=["day"], name="dashboard_tally_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "day", "dim", "code"], name="dashboard_tally_key", nulls_distinct=False
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} {self.day or '-'} {self.dim} {self.code}: {self.n}"


class TallyDelta(models.Model):
    """A change to a count, appended by a trigger and not yet folded into ``Tally``."""

    id = models.BigAutoField(primary_key=True)
    bucket = models.CharField(_("bucket"), max_length=16, choices=Bucket.choices)
    day = models.DateField(_("day"), null=True, blank=True)
    dim = models.BigIntegerField(_("dimension"), default=0)
    code = models.CharField(_("code"), max_length=32, blank=True, default="")
    n = models.BigIntegerField(_("change"))

    class Meta:
        verbose_name = _("tally change")
        verbose_name_plural = _("tally changes")

    def __str__(self) -> str:
        return f"{self.bucket} {self.day or '-'} {self.dim} {self.code}: {self.n:+d}"
