"""Delivering notifications outside the app (SMS, a messaging app): ONE interface.

A deployment plugs its gateway in by naming an adapter class in ``NOTIFICATION_ADAPTERS``
(dotted paths). Each adapter gets the notifications after their transaction commits, from
a Celery task (``notifications.tasks.deliver_notifications_task``, with ids), and says
which it could not deliver; those are tried again later (``NOTIFICATION_DELIVERY_RETRIES``,
growing pauses). An adapter that raises fails the whole batch, which is retried the same
way. The rows themselves are never touched: the in-app list has them whatever happens.

The default ``LogAdapter`` writes each notification to the log (logger
``notifications.delivery``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.models import Notification

logger = logging.getLogger("notifications.delivery")


class NotificationAdapter:
    """Base class of the delivery adapters."""

    def send(self, notifications: Sequence[Notification]) -> list[int]:
        """Deliver ``notifications`` (recipient and case loaded); return the ids not delivered."""
        raise NotImplementedError


class LogAdapter(NotificationAdapter):
    """Writes each notification to the log: the default, and a model for real gateways."""

    def send(self, notifications: Sequence[Notification]) -> list[int]:
        for notification in notifications:
            logger.info(
                "notification %s to %s about case %s: %s",
                notification.pk,
                notification.recipient.get_username(),
                notification.case_id,
                notification.text,
            )
        return []


@lru_cache(maxsize=16)
def load_adapter(path: str) -> NotificationAdapter:
    adapter_class = import_string(path)
    if not (isinstance(adapter_class, type) and issubclass(adapter_class, NotificationAdapter)):
        raise TypeError(f"{path} is not a NotificationAdapter")
    return adapter_class()


def configured() -> list[str]:
    """The dotted paths of the adapters in use (setting ``NOTIFICATION_ADAPTERS``)."""
    return list(settings.NOTIFICATION_ADAPTERS)
