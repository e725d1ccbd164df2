"""The wall screen's department ranking: the month-to-date evaluation (score and band).

Computing a month's evaluation reads a month of the timeline, too much for every screen's
snapshot: the result is cached briefly (``RANKING_CACHE_SECONDS``), and a beat task
(``push_ranking_task``, every minute) recomputes the departments (into the evaluation's
own cache too, so ``/evaluation/`` shows the same figures) and pushes them to the wall
screens as an ``evaluation.ranking`` event when they changed, so the ranking stays live
without any screen asking.
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from evaluation.periods import period_of
from evaluation.services import read
from gridcenter.realtime import WALLSCREEN_GROUP, send_now

RANKING_CACHE_SECONDS = 120
EVENT_TYPE = "evaluation.ranking"
# What the wall screen shows of each department's row.
FIELDS = ("key", "name", "score", "band", "rank", "due", "on_time_rate", "overdue_open", "returned")


def _cache_key(period_key: str) -> str:
    return f"dashboard:ranking:{period_key}"


def compute(now: datetime, *, fresh: bool = False) -> dict:
    """``{"period", "departments": [...]}``: the month's departments, ranked ones first
    (``fresh``: recomputed from the timeline, else as the evaluation's cache has them)."""
    period = period_of(now)
    rows = [{name: row[name] for name in FIELDS} for row in read.rows(period, "departments", fresh=fresh)]
    for row in rows:
        if row["score"] is not None:
            row["score"] = round(row["score"], 2)
    return {"period": period.key, "departments": rows}


def ranking(now: datetime | None = None) -> dict:
    """The cached ranking of the month of ``now`` (computed when the cache has none)."""
    now = now or timezone.now()
    key = _cache_key(period_of(now).key)
    try:
        cached = cache.get(key)
    except RedisError:
        return compute(now)
    if cached is None:
        cached = compute(now)
        _store(key, cached)
    return cached


def _store(key: str, value: dict) -> None:
    try:
        cache.set(key, value, RANKING_CACHE_SECONDS)
    except RedisError:
        pass  # the next reader computes it again


def refresh(now: datetime | None = None) -> bool:
    """Recompute the month's ranking; push it to the wall screens if it changed. Returns whether it did."""
    now = now or timezone.now()
    key = _cache_key(period_of(now).key)
    fresh = compute(now, fresh=True)
    try:
        before = cache.get(key)
    except RedisError:
        before = None
    _store(key, fresh)
    if fresh == before:
        return False
    send_now(WALLSCREEN_GROUP, EVENT_TYPE, fresh)
    return True
