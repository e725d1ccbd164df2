"""Small pieces of the case pages: status badges, photo URLs, durations."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.urls import reverse
from django.utils.html import format_html

from incidents.choices import CaseStatus
from incidents.time_left import format_duration

register = template.Library()


@register.filter
def status_badge(status_value: str) -> str:
    """A status (its value) as a coloured badge with its label."""
    status = CaseStatus(status_value)
    return format_html('<span class="status" data-bg="{}">{}</span>', status.colour, status.label)


@register.filter
def photo_url(attachment) -> str:
    return reverse("api-attachment-file", args=[attachment.pk])


@register.filter
def thumbnail_url(attachment) -> str:
    return reverse("api-attachment-thumbnail", args=[attachment.pk])


@register.filter
def working_minutes(minutes: float) -> str:
    """Working minutes as ``1 h 05 min`` (in hours: a working day is not 24 hours)."""
    return format_duration(timedelta(minutes=minutes or 0), days=False)
