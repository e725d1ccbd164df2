"""Published months: each publication (a period's version), its frozen rows and rounds.

``evaluation.services.publishing`` writes them, once: version 1 by the beat task or the
command, later versions by upheld appeals. Reads go through ``evaluation.services.read``,
which answers a published month from these rows and an unpublished one by computing it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """One version of one month's evaluation, frozen with the scheme version it was scored with."""

    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM"))
    version = models.PositiveIntegerField(_("version"))
    scheme = models.ForeignKey(
        "evaluation.Scheme", on_delete=models.PROTECT, related_name="publications", verbose_name=_("scheme")
    )
    # The subject kinds frozen (rows), and those whose rounds were frozen too.
    subjects = models.JSONField(_("subjects"), default=list)
    round_subjects = models.JSONField(_("subjects with rounds"), default=list)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        help_text=_("Empty when the monthly task published it."),
    )
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why a later version was made."))

    class Meta:
        ordering = ["-period", "-version"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="evaluation_publication_once"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="evaluation_publication_version"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class FrozenRow(models.Model):
    """One subject's row of a publication, as computed (every key of the row in ``data``)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="rows")
    subject = models.CharField(_("subject"), max_length=32)
    key = models.CharField(_("key"), max_length=150)
    position = models.PositiveIntegerField(_("position"))
    score = models.FloatField(_("score"), null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    data = models.JSONField(_("row"), encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["publication", "subject", "position"]
        verbose_name = _("frozen row")
        verbose_name_plural = _("frozen rows")
        indexes = [models.Index(fields=["publication", "subject", "position"], name="evaluation_row_subject")]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.subject} {self.key}"


class FrozenRound(models.Model):
    """A round behind one figure of one subject in a publication (written in SQL, by the thousand)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="rounds")
    subject = models.CharField(_("subject"), max_length=32)
    key = models.CharField(_("key"), max_length=150)
    figure = models.CharField(_("figure"), max_length=32)
    case = models.ForeignKey(
        "incidents.Case", on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("case")
    )
    round_no = models.PositiveIntegerField(_("round"))
    tracking_no = models.CharField(_("tracking number"), max_length=32)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True)

    class Meta:
        ordering = ["publication", "subject", "key", "figure", "started_at", "case_id", "round_no"]
        verbose_name = _("frozen round")
        verbose_name_plural = _("frozen rounds")
        indexes = [
            models.Index(fields=["publication", "subject", "key", "figure"], name="evaluation_round_figure"),
            models.Index(fields=["publication", "case"], name="evaluation_round_case"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.subject} {self.key} {self.figure} {self.case_id}#{self.round_no}"
