"""Celery tasks of the incidents app (scheduled in ``CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from incidents.services.sweep import sweep


@shared_task
def sla_sweep_task() -> dict:
    """Every minute: take the SLA steps that fell due (``incidents.services.sweep``)."""
    return sweep().as_dict()
