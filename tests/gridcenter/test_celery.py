"""The beat schedule names tasks that exist, so a typo cannot silently stop periodic work."""

from django.conf import settings

from gridcenter.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []


def test_tasks_speak_json_only_and_are_acknowledged_late():
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_serializer == "json"
    assert app.conf.task_acks_late is True
