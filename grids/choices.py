"""Choices of the grids app: kinds of administrative unit, worker terms, cameras."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TownshipKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("Sub-district")  # 街道
    TOWN = "town", _("Town")  # 镇
    TOWNSHIP = "township", _("Township")  # 乡


class CommunityKind(models.TextChoices):
    COMMUNITY = "community", _("Community")  # 社区 (urban residents' committee)
    VILLAGE = "village", _("Village")  # 村 (villagers' committee)


class Employment(models.TextChoices):
    FULL_TIME = "full", _("Full-time")
    PART_TIME = "part", _("Part-time")


class CameraKind(models.TextChoices):
    ROAD = "road", _("Road traffic")
    SECURITY = "security", _("Public security")
    RIVER = "river", _("River and water")
    PUBLIC_PLACE = "public", _("Public place")
    FOREST = "forest", _("Forest fire watch")


class CameraStatus(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline")
    FAULT = "fault", _("Fault")
