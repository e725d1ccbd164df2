"""Choices of the notifications app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Why someone was told (notifications.recipients decides who hears what)."""

    DISPATCHED = "dispatched", _("New case for the department")
    ASSIGNED = "assigned", _("Case assigned to you")
    URGED = "urged", _("Urged")
    REOPENED = "reopened", _("Sent back for rework")
    SLA_WARNING = "sla_warning", _("Deadline near")
    SLA_OVERDUE = "sla_overdue", _("Deadline passed")
    SLA_ESCALATED = "sla_escalated", _("Escalated to the leaders")
    REQUEST = "request", _("Request waiting for a decision")
    DECISION = "decision", _("Decision on a request")
    TO_CHECK = "to_check", _("Resolved: check on site")
    CLOSED = "closed", _("Case closed")
    EXPORT = "export", _("Export")  # a download asked for is ready (or failed): no case, a link
