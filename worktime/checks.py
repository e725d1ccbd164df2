"""System checks of the working-time settings."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from gridcenter.env import parse_office_hours


@register(Tags.compatibility)
def check_office_hours(app_configs=None, **kwargs):
    raw = getattr(settings, "OFFICE_HOURS", None)
    try:
        parse_office_hours(raw if isinstance(raw, str) else "")
    except ValueError as exc:
        return [
            Error(
                f"OFFICE_HOURS={raw!r} is not valid office hours: {exc}",
                hint="For example OFFICE_HOURS=08:00-12:00,14:30-17:30",
                id="worktime.E001",
            )
        ]
    return []
