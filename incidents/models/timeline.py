"""The case timeline: one immutable row per transition and per note.

A row is written once, by the transition functions of ``incidents.services``, and never
changed: ``save()`` refuses an update, ``delete()`` refuses, the queryset refuses bulk
updates and deletes, and a PostgreSQL trigger (migration 0004) refuses UPDATE and DELETE
from any client. The rows feed the statistics as of a past day, the evaluation and the
notifications.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from incidents.choices import CaseAction, CaseStatus


class ImmutableRowError(Exception):
    """Raised on an attempt to change or delete a timeline row."""


class CaseEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRowError("timeline rows cannot be updated")

    def delete(self):
        raise ImmutableRowError("timeline rows cannot be deleted")


class CaseEvent(models.Model):
    """Who did what to a case, when, from which status to which, and why."""

    case = models.ForeignKey("incidents.Case", on_delete=models.PROTECT, related_name="events", verbose_name=_("case"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        verbose_name=_("actor"),
    )
    # The role the actor acted in, and their department then (returns count against it).
    actor_role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_events",
        verbose_name=_("department"),
    )
    action = models.CharField(_("action"), max_length=16, choices=CaseAction.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices)
    note = models.TextField(_("note or reason"), blank=True)
    # Facts of the step worth keeping as they were: department, assisting ones, deadline, sub-item...
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        indexes = [
            # A case's timeline, and its status as of an instant (statistics "as of").
            models.Index(fields=["case", "created_at", "id"], name="incidents_event_case_time"),
            models.Index(fields=["created_at"], name="incidents_event_time"),
            models.Index(fields=["action", "created_at"], name="incidents_event_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.from_status}→{self.to_status}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRowError("timeline rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("timeline rows cannot be deleted")
