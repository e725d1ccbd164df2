"""Drop the cached calendar whenever a day changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from worktime.calendar import calendar_changed, clear_cache
from worktime.models import CalendarDay


def _changed(sender, **kwargs) -> None:
    clear_cache()  # this process, at once (also inside the transaction)
    transaction.on_commit(calendar_changed)  # every process, once the change is visible


def connect() -> None:
    post_save.connect(_changed, sender=CalendarDay, dispatch_uid="worktime-calendar-save")
    post_delete.connect(_changed, sender=CalendarDay, dispatch_uid="worktime-calendar-delete")
