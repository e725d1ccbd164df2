"""The demo city's evaluation: every month of the history that is over, published.

A centre that has run since 2013 has published each month on the 1st; the demo does the
same at once (``publishing.publish`` of each closed month, oldest first, as the beat task
would have), so ``/evaluation/`` shows published months, their versions and appeals, and
the month to date stays provisional. Idempotent: a published month is left as it is.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable

from django.db.models import Min
from django.utils import timezone

from evaluation.periods import period_of
from evaluation.services import publishing
from incidents.models import CaseEvent

Log = Callable[[str], object]


def seed(password: str, log: Log) -> None:
    """The seeder of ``manage.py seed_demo`` (after the case history)."""
    first = CaseEvent.objects.aggregate(first=Min("created_at"))["first"]
    if first is None:
        log("evaluation: no case history: nothing to publish")
        return
    started = clock.perf_counter()
    now = timezone.now()
    period, last = period_of(first), period_of(now).previous()
    published = 0
    while period <= last:
        publication = publishing.publish(period, now=now)
        published += publication.published_at == now
        period = period.next()
    elapsed = clock.perf_counter() - started
    log(f"evaluation: {published} months published ({period_of(first).key} to {last.key}) in {elapsed:.1f} s")
