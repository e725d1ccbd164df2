"""Delivery of notifications through the adapters, after commit, by id (never objects)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from django.conf import settings

from notifications import adapters
from notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_PAUSE_SECONDS = 3600


def deliver(ids: Sequence[int], adapter_path: str) -> list[int]:
    """Hand the notifications ``ids`` to one adapter; returns the ids it did not deliver."""
    notifications = list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id"))
    if not notifications:
        return []
    try:
        failed = adapters.load_adapter(adapter_path).send(notifications)
    except Exception:  # noqa: BLE001 - an adapter's failure is logged and retried, never raised at its caller
        logger.exception("adapter %s failed on %d notifications", adapter_path, len(notifications))
        return [n.pk for n in notifications]
    known = {n.pk for n in notifications}
    return sorted(pk for pk in failed if pk in known)


@shared_task(bind=True, max_retries=None)
def deliver_notifications_task(self, ids: list[int], adapter_path: str) -> int:
    """Deliver through one adapter; what failed is tried again later, then given up (logged)."""
    failed = deliver(ids, adapter_path)
    if not failed:
        return 0
    if self.request.retries >= settings.NOTIFICATION_DELIVERY_RETRIES:
        logger.error("adapter %s: gave up delivering notifications %s", adapter_path, failed)
        return len(failed)
    pause = min(30 * 2**self.request.retries, MAX_PAUSE_SECONDS)
    logger.warning("adapter %s: %d notifications not delivered; again in %d s", adapter_path, len(failed), pause)
    raise self.retry(args=[failed, adapter_path], countdown=pause)


def enqueue_deliveries(ids: Sequence[int]) -> None:
    """One task per adapter (called after commit); a broker outage is logged, the rows stay."""
    for path in adapters.configured():
        try:
            deliver_notifications_task.delay(list(ids), path)
        except Exception:  # noqa: BLE001 - the rows are committed; only the delivery is missing
            logger.exception("could not queue the delivery of %d notifications through %s", len(ids), path)
