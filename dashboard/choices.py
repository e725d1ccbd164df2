"""Choices of the dashboard app: the rollup buckets the database triggers maintain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bucket(models.TextChoices):
    """What one row of ``Tally`` counts. The triggers of migration 0002 write these values.

    Current state (``day`` is NULL):
    - ``status``: cases now in a status (``code`` = status);
    - ``grid``: cases now in a status in one grid (``dim`` = grid id, ``code`` = status).

    Per local day (``day``), from the case row as it is now:
    - ``created``: cases reported that day;
    - ``sub``: cases reported that day per sub-item (``dim`` = sub-item id);
    - ``source``: cases reported that day per source (``code`` = source);
    - ``resolved``: cases whose (last) resolution fell on that day, per lead department
      (``dim``), ``code`` = ``on_time`` or ``late`` (resolved after the deadline).

    Per local day, from the immutable timeline:
    - ``action``: timeline steps (``code`` = action);
    - ``dept``: timeline steps recorded for a department (``dim`` = department id,
      ``code`` = action), e.g. its returns and resolutions.
    """

    STATUS = "status", _("Cases per status")
    GRID = "grid", _("Cases per grid and status")
    CREATED = "created", _("Cases reported per day")
    SUBITEM = "sub", _("Cases reported per day and sub-item")
    SOURCE = "source", _("Cases reported per day and source")
    RESOLVED = "resolved", _("Resolutions per day and lead department")
    ACTION = "action", _("Timeline steps per day")
    DEPT_ACTION = "dept", _("Timeline steps per day and department")


# Buckets that describe the present (their rows have no day).
CURRENT_BUCKETS = frozenset({Bucket.STATUS, Bucket.GRID})


class Punctuality(models.TextChoices):
    """The ``code`` of a ``resolved`` tally: was the case resolved by its deadline?"""

    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
