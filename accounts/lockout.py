"""Login lockouts (django-axes): what is locked, and what a locked-out person is told.

Two rules, both on the real client address (``gridcenter.clientip``, ``PROXY_COUNT``):

- an account from one address: ``LOGIN_FAILURE_LIMIT`` wrong passwords for a username
  from one client lock that username from that client only (axes'
  ``AXES_LOCKOUT_PARAMETERS``), so a stranger cannot lock a worker out of their own phone;
- an address: ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one client, whatever the
  usernames, lock every sign-in from it (password spraying: many usernames, one password).

Both last ``LOGIN_COOLOFF_MINUTES``; a successful sign-in clears only that username's
failures from that address. The sign-in page answers 429 with a page saying the account
(or the address) is locked, the API 429 JSON with ``Retry-After``.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# The request attribute naming what is locked: "account" or "address".
LOCK_SCOPE_ATTR = "gridcenter_lock_scope"


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with the address-wide limit added (``AXES_HANDLER``)."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        account = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            setattr(request, LOCK_SCOPE_ATTR, "address")
            # Axes compares one count with one limit: report the address's lock as reaching it.
            return max(account, limit)
        setattr(request, LOCK_SCOPE_ATTR, "account")
        return account


def address_failures(request: Any) -> int:
    """Failed sign-ins from the request's client address within the cool-off time."""
    address = getattr(request, "axes_ip_address", None)
    if address is None:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_message(request: HttpRequest) -> str:
    minutes = cooloff_minutes()
    if getattr(request, LOCK_SCOPE_ATTR, "account") == "address":
        return _(
            "Too many failed sign-ins from this address: signing in from it is paused for %(minutes)d minutes."
        ) % {"minutes": minutes}
    return _(
        "Account locked after repeated wrong passwords on this device. Try again in %(minutes)d minutes, "
        "or ask the centre's administrator to unlock it."
    ) % {"minutes": minutes}


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: 429 JSON under /api/, else the sign-in page's lockout page."""
    message = lockout_message(request)
    scope = getattr(request, LOCK_SCOPE_ATTR, "account")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "code": f"{scope}_locked"}, status=429)
    else:
        context = {"message": message, "scope": scope}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
