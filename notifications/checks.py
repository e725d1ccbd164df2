"""System checks of the notification and SLA settings that can be wrong."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


def check_adapters(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from notifications.adapters import load_adapter

    errors: list[checks.CheckMessage] = []
    for path in settings.NOTIFICATION_ADAPTERS:
        try:
            load_adapter(path)
        except Exception as exc:  # noqa: BLE001 - reported as a check error
            errors.append(
                checks.Error(
                    f"NOTIFICATION_ADAPTERS: {path} cannot be used: {exc}",
                    hint="Name a subclass of notifications.adapters.NotificationAdapter by its dotted path.",
                    id="notifications.E001",
                )
            )
    return errors


def register() -> None:
    checks.register(check_adapters, "notifications")
