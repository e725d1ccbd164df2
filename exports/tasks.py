"""Building exports in the background, by id (``exports.services.run`` does the work)."""

from __future__ import annotations

from celery import shared_task

from exports import services


@shared_task
def build_export_task(export_id: int) -> bool:
    """Build one export; a second delivery of the same task finds it claimed and does nothing."""
    return services.run(export_id)
