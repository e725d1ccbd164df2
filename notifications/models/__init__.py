"""In-app notifications."""

from notifications.models.notifications import Notification

__all__ = ["Notification"]
