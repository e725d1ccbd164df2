"""Celery tasks of field work: plain functions of ``patrols.services`` do the work."""

from celery import shared_task

from patrols.services import close_stale_patrols


@shared_task(name="patrols.tasks.close_stale_patrols_task")
def close_stale_patrols_task() -> int:
    """Close patrols left open on a phone (no point for a few hours) at their last point."""
    return close_stale_patrols()
