"""The patrol diary (民情日志): what a grid worker saw and did, entry by entry.

A dispatcher may copy a worker's paper diary in on their behalf (代录): ``entered_by``
is then the dispatcher and ``on_behalf`` is set. Leaders comment on entries.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patrols.choices import DiaryType
from patrols.models.scoping import OwnedByWorkerQuerySet

STORAGE_SRID = 4326


class DiaryEntry(models.Model):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diary_entries",
        verbose_name=_("grid worker"),
    )
    grid = models.ForeignKey(
        "grids.Grid", on_delete=models.PROTECT, related_name="diary_entries", verbose_name=_("grid")
    )
    type = models.CharField(_("type"), max_length=20, choices=DiaryType.choices)
    occurred_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    location = models.PointField(_("location"), srid=STORAGE_SRID, null=True, blank=True, spatial_index=False)
    content = models.TextField(_("content"), max_length=4000)
    action_taken = models.TextField(_("what was done"), max_length=4000, blank=True)
    households_visited = models.PositiveSmallIntegerField(_("households visited"), default=0)
    case = models.ForeignKey(
        "incidents.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diary_entries",
        verbose_name=_("related case"),
    )
    patrol = models.ForeignKey(
        "patrols.Patrol",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diary_entries",
        verbose_name=_("patrol"),
    )
    client_uuid = models.UUIDField(_("client key"), unique=True, null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diary_entries_entered",
        verbose_name=_("entered by"),
    )
    on_behalf = models.BooleanField(
        _("entered on the worker's behalf"), default=False, help_text=_("代录: copied in from a paper diary.")
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    objects = OwnedByWorkerQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        indexes = [
            models.Index(fields=["worker", "-occurred_at"], name="patrols_diary_worker"),
            models.Index(fields=["grid", "-occurred_at"], name="patrols_diary_grid"),
            models.Index(fields=["-occurred_at", "-id"], name="patrols_diary_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=DiaryType.values), name="patrols_diary_type_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_at:%Y-%m-%d}"


class DiaryPhoto(models.Model):
    """A photo of a diary entry, re-encoded without metadata (``gridcenter.photos``)."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="photos", verbose_name=_("entry"))
    file = models.FileField(_("photo"), max_length=200)
    thumbnail = models.FileField(_("thumbnail"), max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("diary photo")
        verbose_name_plural = _("diary photos")

    def __str__(self) -> str:
        return self.file.name or ""


class DiaryComment(models.Model):
    """A leader's comment on a diary entry."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="comments", verbose_name=_("entry"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_comments", verbose_name=_("author")
    )
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("diary comment")
        verbose_name_plural = _("diary comments")

    def __str__(self) -> str:
        return self.text[:40]
