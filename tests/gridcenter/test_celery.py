"""The beat schedule names tasks that exist, so a typo cannot silently stop periodic work."""

import pytest
from django.conf import settings
from django.db import connection

from gridcenter.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []


def test_tasks_speak_json_only_and_are_acknowledged_late():
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.task_acks_late is True


@pytest.mark.slow
def test_the_tests_worker_works_on_the_test_database_and_redis_database(db, celery_worker_process):
    """Tests that rely on the worker would pass for the wrong reason on the development stores."""
    from tests.worker_tasks import worker_identity

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    assert database.startswith("test_")  # pytest-django's database, not the development one

    seen = worker_identity.apply_async().get(timeout=20)

    assert seen["pid"] == celery_worker_process.pid  # our worker took it, not another one on this Redis
    assert seen["database"] == seen["configured_database"] == database
    assert seen["redis_url"] == seen["broker_url"] == seen["result_backend"] == settings.REDIS_URL
