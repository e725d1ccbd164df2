"""Choices of the patrols app (no literals of these values elsewhere).

Directives reuse the case urgency (``incidents.choices.Urgency``): one scale of
urgency for the whole platform.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.choices import Urgency

__all__ = ["CoverageLevel", "DiaryType", "DirectiveTarget", "ErrandKind", "PatrolStatus", "Urgency"]


class PatrolStatus(models.TextChoices):
    ACTIVE = "active", _("On patrol")
    FINISHED = "finished", _("Finished")


class DiaryType(models.TextChoices):
    """The kinds of entry of the patrol diary (民情日志)."""

    PATROL = "patrol", _("Patrol")
    VISIT = "visit", _("Household visit")
    MEDIATION = "mediation", _("Mediation")
    PUBLICITY = "publicity", _("Publicity")
    ERRAND = "errand", _("Errand for a resident")
    INFO_COLLECTION = "info_collection", _("Information collection")


class DirectiveTarget(models.TextChoices):
    """Who a directive (上级指令) is sent to; resolved to recipients when it is sent."""

    ALL = "all", _("All grid workers")
    TOWNSHIP = "township", _("Townships")
    COMMUNITY = "community", _("Communities")
    GRID = "grid", _("Grids")
    WORKERS = "workers", _("Named grid workers")


class ErrandKind(models.TextChoices):
    """Errands grid workers run for residents (代办); each is filed as a case of the
    便民代办 category, under the sub-item ``ERRAND_SUBCATEGORY`` suggests."""

    HOUSE_BUILDING = "house_building", _("Rural house-building application")
    MEDICAL_INSURANCE = "medical_insurance", _("Medical insurance papers")
    SUBSISTENCE = "subsistence", _("Subsistence allowance or relief")
    POVERTY_CERTIFICATE = "poverty_certificate", _("Poverty certificate")
    DISABILITY_CARD = "disability_card", _("Disability card")
    ELDERLY_SUBSIDY = "elderly_subsidy", _("Elderly subsidy")
    HOUSEHOLD_REGISTER = "household_register", _("ID card or household register")
    EMPLOYMENT = "employment", _("Employment registration")
    PENSION = "pension", _("Pension certification")


# The 便民代办 major category of the taxonomy (incidents/data/categories.csv) and the
# sub-item each errand suggests: 6301 户籍证件代办, 6302 证明材料代办, 6303 建房审批代办.
ERRAND_MAJOR_CODE = "63"
ERRAND_SUBCATEGORY: dict[ErrandKind, str] = {
    ErrandKind.HOUSE_BUILDING: "6303",
    ErrandKind.MEDICAL_INSURANCE: "6302",
    ErrandKind.SUBSISTENCE: "6302",
    ErrandKind.POVERTY_CERTIFICATE: "6302",
    ErrandKind.DISABILITY_CARD: "6302",
    ErrandKind.ELDERLY_SUBSIDY: "6302",
    ErrandKind.HOUSEHOLD_REGISTER: "6301",
    ErrandKind.EMPLOYMENT: "6302",
    ErrandKind.PENSION: "6302",
}


class CoverageLevel(models.TextChoices):
    """How well a grid was patrolled on a day (the coverage map's colours)."""

    NONE = "none", _("Not patrolled")
    SHORT = "short", _("Patrolled too briefly")
    DONE = "done", _("Patrolled")

    @property
    def colour(self) -> str:
        """The colour the coverage map fills a grid with (a CSS colour)."""
        return COVERAGE_COLOURS[self]


COVERAGE_COLOURS: dict[CoverageLevel, str] = {
    CoverageLevel.NONE: "#c62828",  # red: nobody walked it today
    CoverageLevel.SHORT: "#f9a825",  # amber: under the daily minimum
    CoverageLevel.DONE: "#2e7d32",  # green
}
