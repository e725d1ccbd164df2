"""The geography of the city and the people and cameras in it.

Every geometry is stored in one SRID, WGS-84 (4326); input in any other reference
system is transformed on the way in (see ``grids.importer``).

Grid maps change (grids are split, merged, redrawn). A redraw must not rewrite
history, so grid maps are versioned as in MapIt: every ``Grid`` row belongs to one
``Generation``; importing a new map adds a generation with new rows and activates it,
and the old rows stay. A case keeps a foreign key to the grid row it was filed in, so
its grid (code, name, boundary) is what it was then. Lookups (``grids.services.locate``)
use the active generation. Townships and communities are administrative units that
change rarely; they are edited in place and not versioned.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grids.choices import CommunityKind, TownshipKind

STORAGE_SRID = 4326


class GenerationQuerySet(models.QuerySet["Generation"]):
    def active(self) -> Generation | None:
        return self.filter(is_active=True).first()


class Generation(models.Model):
    """One version of the grid map."""

    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    is_active = models.BooleanField(_("active"), default=False)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid map generation")
        verbose_name_plural = _("grid map generations")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="grids_generation_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description}".strip()

    def activate(self) -> None:
        """Make this the generation that lookups use (the previous one is kept)."""
        with transaction.atomic():
            Generation.objects.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
            self.is_active = True
            self.save(update_fields=["is_active"])


class Township(models.Model):
    """A sub-district 街道, town 镇 or township 乡."""

    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=TownshipKind.choices)
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID)
    seat = models.PointField(_("seat"), srid=STORAGE_SRID, null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    """An urban community 社区 or a village 村."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="communities", verbose_name=_("township")
    )
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=CommunityKind.choices)
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class GridQuerySet(models.QuerySet):
    def active(self) -> GridQuerySet:
        return self.filter(generation__is_active=True)


class Grid(models.Model):
    """A grid 网格: the patch of the city that one small team of grid workers serves."""

    generation = models.ForeignKey(
        Generation, on_delete=models.PROTECT, related_name="grids", verbose_name=_("generation")
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="grids", verbose_name=_("community")
    )
    code = models.CharField(_("code"), max_length=15)
    name = models.CharField(_("name"), max_length=80)
    # A GiST index, as for every geometry field.
    boundary = models.MultiPolygonField(_("boundary"), srid=STORAGE_SRID)
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["generation", "code"], name="grids_grid_code_per_generation"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
