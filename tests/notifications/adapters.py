"""Adapters for the tests: one that records what it is given, one that fails."""

from __future__ import annotations

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
