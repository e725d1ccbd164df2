"""Patrols (巡查): a grid worker's walk through their grid, with the phone's GPS track.

``distance_m`` and ``duration_s`` are computed by the server (``patrols.services.patrols``)
from the stored points and the start and end times; the phone only sends points.
Track points carry the phone's own sequence number: ``(patrol, seq)`` is unique, so a
batch sent twice or out of order is stored once and read back in order.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patrols.choices import PatrolStatus
from patrols.models.scoping import OwnedByWorkerQuerySet

STORAGE_SRID = 4326


class PatrolQuerySet(OwnedByWorkerQuerySet):
    def active(self) -> PatrolQuerySet:
        return self.filter(status=PatrolStatus.ACTIVE)


class Patrol(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrols", verbose_name=_("grid worker")
    )
    grid = models.ForeignKey("grids.Grid", on_delete=models.PROTECT, related_name="patrols", verbose_name=_("grid"))
    client_uuid = models.UUIDField(_("client key"), unique=True, null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=PatrolStatus.choices, default=PatrolStatus.ACTIVE)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # Kept up to date with every batch: the coverage query reads them, not the points.
    point_count = models.PositiveIntegerField(_("track points"), default=0)
    last_seq = models.PositiveIntegerField(_("highest sequence number"), null=True, blank=True)
    last_point_at = models.DateTimeField(_("last point at"), null=True, blank=True)
    distance_m = models.FloatField(_("distance (m)"), default=0)
    duration_s = models.PositiveIntegerField(_("duration (s)"), default=0)
    auto_closed = models.BooleanField(
        _("closed automatically"), default=False, help_text=_("Left open on the phone; closed at its last point.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = PatrolQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [
            models.Index(fields=["worker", "-started_at"], name="patrols_patrol_worker"),
            # Coverage: patrols of a grid overlapping a day.
            models.Index(fields=["grid", "started_at"], name="patrols_patrol_grid_day"),
            models.Index(fields=["started_at"], name="patrols_patrol_started"),
        ]
        constraints = [
            # One open patrol per worker at a time.
            models.UniqueConstraint(
                fields=["worker"], condition=Q(status=PatrolStatus.ACTIVE), name="patrols_patrol_one_active"
            ),
            models.CheckConstraint(condition=Q(status__in=PatrolStatus.values), name="patrols_patrol_status_valid"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="patrols_patrol_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status == PatrolStatus.ACTIVE

    def elapsed_seconds(self, now: datetime | None = None) -> int:
        """Duration so far: the stored one once finished, else up to ``now``."""
        if not self.is_active:
            return self.duration_s
        return max(0, int(((now or timezone.now()) - self.started_at).total_seconds()))


class TrackPoint(models.Model):
    """One GPS fix of a patrol, as the phone recorded it."""

    id = models.BigAutoField(primary_key=True)
    # The unique (patrol, seq) index serves every lookup by patrol: no separate index.
    patrol = models.ForeignKey(
        Patrol, on_delete=models.CASCADE, related_name="points", db_index=False, verbose_name=_("patrol")
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    recorded_at = models.DateTimeField(_("recorded at"))
    # No spatial index: points are read by patrol and sequence, never searched by place,
    # and an index would slow the inserts that come in every few seconds from 2,018 phones.
    point = models.PointField(_("location"), srid=STORAGE_SRID, spatial_index=False)
    accuracy_m = models.FloatField(_("accuracy (m)"), null=True, blank=True)

    class Meta:
        ordering = ["patrol", "seq"]
        verbose_name = _("track point")
        verbose_name_plural = _("track points")
        constraints = [models.UniqueConstraint(fields=["patrol", "seq"], name="patrols_trackpoint_patrol_seq")]

    def __str__(self) -> str:
        return f"{self.patrol_id}:{self.seq}"


class PatrolReport(models.Model):
    """A case reported during a patrol (the link lives here, on the patrols side)."""

    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="reports", verbose_name=_("patrol"))
    case = models.OneToOneField(
        "incidents.Case", on_delete=models.CASCADE, related_name="patrol_report", verbose_name=_("case")
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("report made on patrol")
        verbose_name_plural = _("reports made on patrol")

    def __str__(self) -> str:
        return f"{self.patrol_id} → {self.case_id}"
