"""Adapters for the tests: ones that record what they are given (in this process, or in
Redis for the Celery worker's deliveries), one that fails."""

from __future__ import annotations

import json
import os

import redis
from django.conf import settings
from django.db import connection

from notifications.adapters import NotificationAdapter

SENT: list[tuple[int, str]] = []
FAIL_IDS: set[int] = set()


class RecordingAdapter(NotificationAdapter):
    def send(self, notifications):
        failed = [n.pk for n in notifications if n.pk in FAIL_IDS]
        SENT.extend((n.pk, n.recipient.get_username()) for n in notifications if n.pk not in FAIL_IDS)
        return failed


class BrokenAdapter(NotificationAdapter):
    def send(self, notifications):
        raise ConnectionError("the SMS gateway does not answer")


class NotAnAdapter:
    pass


class RedisRecordingAdapter(NotificationAdapter):
    """Records each delivery in the tests' Redis database with the process that made it, so a
    test can read what the Celery worker (another process) delivered: see ``Deliveries``."""

    def send(self, notifications):
        client = redis.Redis.from_url(settings.REDIS_URL)
        for notification in notifications:
            record = {
                "adapter": type(self).__name__,
                "id": notification.pk,
                "recipient": notification.recipient.get_username(),
                "pid": os.getpid(),
            }
            client.rpush(Deliveries.key(), json.dumps(record))
        return []


class OtherRedisRecordingAdapter(RedisRecordingAdapter):
    """A second gateway, for the deliveries that go through every adapter."""


class Deliveries:
    """What the ``RedisRecordingAdapter``s delivered in this test database's run."""

    @staticmethod
    def key() -> str:
        return f"tests:notifications:delivered:{connection.settings_dict['NAME']}"

    def __init__(self) -> None:
        self.client = redis.Redis.from_url(settings.REDIS_URL)
        self.client.delete(self.key())

    def wait_for(self, count: int, timeout: float = 20) -> list[dict]:
        """The first ``count`` deliveries, waiting for them up to ``timeout`` seconds."""
        records: list[dict] = []
        while len(records) < count:
            popped = self.client.blpop([self.key()], timeout=timeout)
            if popped is None:
                break
            records.append(json.loads(popped[1]))
        return records

    def close(self) -> None:
        self.client.delete(self.key())
        self.client.close()
