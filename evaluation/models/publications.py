"""Published months: each publication (a period's version), its frozen rows and rounds.

``evaluation.services.publishing`` writes them, once: version 1 by the beat task or the
command, later versions by upheld appeals. Reads go through ``evaluation.services.read``,
which answers a published month from these rows and an unpublished one by computing it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
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
    """A round of a publication with every figure it counts in (one row per round, written in
    SQL by the thousand): the columns of ``evaluation.services.rounds``'s ``per_round``, with
    the key of the round's subject of each kind instead of their ids, and the figures an
    upheld appeal excused it from in this version."""

    # No index of its own: the unique constraint's (publication, case, round) serves it.
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="rounds", db_index=False)
    case = models.ForeignKey(
        "incidents.Case", on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("case")
    )
    round_no = models.PositiveIntegerField(_("round"))
    tracking_no = models.CharField(_("tracking number"), max_length=32)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True)
    # The round's subject of each kind, by key (``read.ROUND_KEYS``): the pages' and API's keys.
    department = models.CharField(_("department"), max_length=32)
    officer = models.CharField(_("officer"), max_length=150, null=True)
    township = models.CharField(_("township"), max_length=32)
    community = models.CharField(_("community"), max_length=32)
    grid = models.CharField(_("grid"), max_length=32)
    # What the round counts in (``read.ROUND_FIGURES`` reads these as it reads ``per_round``).
    is_due = models.BooleanField(_("due in the period"))
    held_at_end = models.BooleanField(_("on hold at the end"))
    returned = models.PositiveIntegerField(_("returned"))
    shirked = models.PositiveIntegerField(_("shirked"))
    rework = models.PositiveIntegerField(_("rework"))
    urged = models.PositiveIntegerField(_("urged"))
    extended = models.PositiveIntegerField(_("extended"))
    rated = models.PositiveIntegerField(_("rated"))
    satisfied = models.PositiveIntegerField(_("satisfied"))
    basically_satisfied = models.PositiveIntegerField(_("basically satisfied"))
    dissatisfied = models.PositiveIntegerField(_("dissatisfied"))
    excused = ArrayField(models.CharField(max_length=32), default=list, verbose_name=_("excused from"))

    class Meta:
        db_table = "evaluation_round"
        ordering = ["publication", "started_at", "case_id", "round_no"]
        verbose_name = _("frozen round")
        verbose_name_plural = _("frozen rounds")
        constraints = [
            models.UniqueConstraint(fields=["publication", "case", "round_no"], name="evaluation_round_once"),
        ]
        # The departments' and officers' rounds are read most (pages, appeals); an area's are
        # read from the publication's rows (the unique index), fewer indexes to write.
        indexes = [
            models.Index(fields=["publication", "department"], name="evaluation_round_department"),
            models.Index(fields=["publication", "officer"], name="evaluation_round_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.case_id}#{self.round_no}"
