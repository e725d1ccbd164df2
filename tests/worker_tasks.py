"""Tasks that only the tests' Celery worker imports (``--include tests.worker_tasks``)."""

from __future__ import annotations

import os

from celery import shared_task
from django.conf import settings
from django.db import connection


@shared_task(name="tests.worker_identity", ignore_result=False, acks_late=False)
def worker_identity() -> dict:
    """Which process ran this, and on which database and Redis database it works."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    return {
        "pid": os.getpid(),
        "database": database,
        "configured_database": connection.settings_dict["NAME"],
        "redis_url": settings.REDIS_URL,
        "broker_url": settings.CELERY_BROKER_URL,
        "result_backend": settings.CELERY_RESULT_BACKEND,
    }
