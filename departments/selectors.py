"""Reads about departments and their staff that other apps share."""

from __future__ import annotations

from departments.models import Officer

_OFFICER_ATTR = "_gridcenter_officer"


def officer_of(user) -> Officer | None:
    """The user's ``Officer`` row (with its department), or ``None`` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _OFFICER_ATTR):
        setattr(user, _OFFICER_ATTR, Officer.objects.filter(user=user).select_related("department").first())
    return getattr(user, _OFFICER_ATTR)
