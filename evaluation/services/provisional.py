"""The month to date (and any month not yet published), kept briefly in the cache.

Computing a month of a large city's evaluation reads its whole timeline: seconds, not the
pages' few hundred milliseconds. A provisional month's rows are therefore cached per
subject kind for ``EVALUATION_PROVISIONAL_SECONDS`` (default 300), under the scheme
version they were scored with (a new scheme version is read at once), with the time they
were computed (the pages say "as of"). The beat task ``refresh_provisional_task``
recomputes the current month every ``EVALUATION_PROVISIONAL_SECONDS`` / 2 (every kind,
the rounds read once), so readers find it warm; a reader that finds nothing computes its
kind and stores it. The cache down, everything is computed on request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from evaluation.periods import Period

logger = logging.getLogger(__name__)


def _key(period: Period, subject: str, scheme_version: int) -> str:
    return f"evaluation:provisional:{period.key}:{subject}:v{scheme_version}"


def get(period: Period, subject: str, scheme_version: int) -> dict | None:
    """``{"rows", "computed_at"}`` as cached, or ``None``."""
    try:
        return cache.get(_key(period, subject, scheme_version))
    except RedisError:
        logger.warning("evaluation cache unavailable: computing %s %s on request", period.key, subject)
        return None


def store(period: Period, subject: str, scheme_version: int, rows: list[dict], computed_at: datetime) -> dict:
    entry = {"rows": rows, "computed_at": computed_at}
    try:
        cache.set(_key(period, subject, scheme_version), entry, settings.EVALUATION_PROVISIONAL_SECONDS)
    except RedisError:
        pass  # the next reader computes it again
    return entry


def cached(period: Period, subject: str, scheme_version: int, compute: Callable[[], list[dict]]) -> dict:
    """The cached entry of a subject kind, computed (and stored) when there is none."""
    entry = get(period, subject, scheme_version)
    if entry is None:
        computed_at = timezone.now()
        entry = store(period, subject, scheme_version, compute(), computed_at)
    return entry
