"""Periodic upkeep of the wall screen's counts (schedule them in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import logging

from celery import shared_task

from dashboard import ranking, rollups

logger = logging.getLogger(__name__)


@shared_task
def fold_rollups_task() -> int:
    """Fold pending count changes (readers fold too; this keeps the backlog small when no
    screen is open)."""
    return rollups.fold()


@shared_task
def check_rollups_task() -> int:
    """Nightly: compare the counts with the truth and rebuild them if they disagree."""
    differences = rollups.check()
    if differences:
        logger.error("dashboard rollups disagree with the cases on %d counts; repairing", len(differences))
        rollups.repair()
    return len(differences)


@shared_task
def push_ranking_task() -> bool:
    """Every minute: the month-to-date department ranking, pushed to the wall screens if it changed."""
    return ranking.refresh()
