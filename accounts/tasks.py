from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def clear_expired_sessions_task() -> None:
    """Delete expired sessions, as ``manage.py clearsessions`` does, through the configured engine."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@shared_task
def prune_access_records_task() -> int:
    """Delete access records older than ``ACCESS_RECORD_DAYS`` (daily, from beat)."""
    from accounts.services import access

    return access.prune()
