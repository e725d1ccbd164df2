"""The demo city's evaluation: the last twelve months that are over, published.

The demo centre publishes as the beat task would have on each 1st (``publishing.publish``
of each closed month, oldest first), for the twelve months the trend shows, so
``/evaluation/`` has published months to read, appeal and republish; the month to date,
and the older history (back to 2013), stay provisional: computed when someone opens them.
Publishing all 160-odd months would add minutes to the first ``make run``. Idempotent: a
published month is left as it is.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import datetime

from django.db.models import Min
from django.utils import timezone

from evaluation.periods import period_of
from evaluation.services import publishing
from incidents.models import CaseEvent

Log = Callable[[str], object]
PUBLISHED_MONTHS = 12


def seed(password: str, log: Log, *, now: datetime | None = None) -> None:
    """The seeder of ``manage.py seed_demo`` (after the case history, or its top-up: on a
    later day the twelve months move on)."""
    first = CaseEvent.objects.aggregate(first=Min("created_at"))["first"]
    if first is None:
        log("evaluation: no case history: nothing to publish")
        return
    started = clock.perf_counter()
    now = now or timezone.now()
    last = period_of(now).previous()
    period = last
    for _month in range(PUBLISHED_MONTHS - 1):
        period = period.previous()
    period = max(period_of(first), period)
    published = 0
    while period <= last:
        publication = publishing.publish(period, now=now)
        published += publication.published_at == now
        period = period.next()
    elapsed = clock.perf_counter() - started
    log(f"evaluation: {published} months published (up to {last.key}) in {elapsed:.1f} s")
