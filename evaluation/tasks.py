"""Celery tasks of the evaluation app (scheduled in ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from evaluation.services.publishing import publish_previous_month
from evaluation.services.read import refresh_provisional


@shared_task
def publish_previous_month_task() -> dict:
    """On the 1st at 01:00: publish the month that just ended (harmless if it already is)."""
    publication = publish_previous_month()
    return {"period": publication.period, "version": publication.version, "scheme": publication.scheme.version}


@shared_task
def refresh_provisional_task() -> dict:
    """Every half of ``EVALUATION_PROVISIONAL_SECONDS``: the month to date recomputed into the cache."""
    refreshed = refresh_provisional()
    return {"periods": [period.key for period in refreshed]}
