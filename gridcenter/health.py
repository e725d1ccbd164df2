"""Real round trips to each service the platform needs, for ``GET /healthz``."""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection
from kombu.exceptions import OperationalError as KombuOperationalError

from gridcenter.tasks import ping_task

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT PostGIS_Lib_Version()")
        cursor.fetchone()


def check_redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        if not client.ping():
            raise RuntimeError("no PONG")
    finally:
        client.close()


def check_celery() -> None:
    """A worker must take a task from the broker and hand back its result."""
    result = ping_task.apply_async(expires=TIMEOUT_SECONDS, retry=False)
    try:
        if result.get(timeout=TIMEOUT_SECONDS) != "pong":
            raise RuntimeError("unexpected answer")
    except CeleryTimeout as exc:
        raise RuntimeError(f"no worker answered within {TIMEOUT_SECONDS} s") from exc
    finally:
        result.forget()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "redis": check_redis,
    "celery": check_celery,
}


def run_checks() -> dict[str, str]:
    """``{"database": "ok", ...}``; a failing service reads ``"error: <reason>"``."""
    report: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "celery" and report.get("redis", "ok") != "ok":
            # The broker is that Redis: a worker cannot be reached without it.
            report[name] = "error: broker (redis) unreachable"
            continue
        try:
            check()
        except (Exception, KombuOperationalError) as exc:  # noqa: BLE001 - any failure is a finding
            logger.warning("health check %s failed: %s", name, exc)
            report[name] = f"error: {type(exc).__name__}: {exc}"[:200]
        else:
            report[name] = "ok"
    return report
