"""The periodic clean-up of expired sessions (CELERY_BEAT_SCHEDULE)."""

from importlib import import_module

from django.conf import settings

from accounts.tasks import clear_expired_sessions_task
from gridcenter.celery import app


def make_session(expires_in_seconds: int):
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["user"] = "someone"
    session.set_expiry(expires_in_seconds)
    session.save()
    return session


def test_the_schedule_runs_the_task_every_few_hours():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert app.tasks[entry["task"]].name == clear_expired_sessions_task.name
    assert entry["schedule"].total_seconds() <= 24 * 3600


def test_expired_sessions_are_deleted_and_live_ones_kept(db):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    expired = [make_session(-60), make_session(-86400)]
    live = make_session(3600)

    clear_expired_sessions_task.apply().get()

    assert [store().exists(session.session_key) for session in expired] == [False, False]
    assert store().exists(live.session_key)
    assert store(live.session_key).load() == {"user": "someone", "_session_expiry": 3600}
