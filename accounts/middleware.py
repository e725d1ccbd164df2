"""A signed-in session that still owes its second factor sees only the MFA pages.

``MfaMiddleware`` (after django-otp's ``OTPMiddleware``, which gives ``request.user``
its ``is_verified()``): a person with an authenticator who has not given a code in this
session is sent to the code page, a person whose role requires MFA and has none to the
enrolment page, before any other page; under ``/api/`` such a session gets 403 JSON
(``code: mfa_required``). Phones' tokens are not sessions: the token endpoint asks for the
code itself (``accounts.api.views.TokenView``). ``MfaWebSocketMiddleware`` does the same
for WebSockets: such a session connects as nobody.
"""

from __future__ import annotations

from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.services import mfa
from gridcenter.httperrors import is_api

# What such a session may still open: the two MFA steps, signing out, the language switch and
# its catalogue, static files.
OPEN_PATHS = (
    "/accounts/mfa/setup/",
    "/accounts/mfa/verify/",
    "/accounts/logout/",
    "/i18n/",
    "/jsi18n/",
    "/static/",
    "/favicon.ico",
)
STEP_URL_NAMES = {mfa.Step.SETUP: "mfa-setup", mfa.Step.VERIFY: "mfa-verify"}


def owed_step(request: HttpRequest) -> mfa.Step | None:
    user = request.user
    if not user.is_authenticated:
        return None
    # OTPMiddleware gives the user is_verified(): a device confirmed by a code in this session.
    return mfa.pending_step(user, verified=user.is_verified())  # type: ignore[attr-defined]


class MfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(OPEN_PATHS):
            step = owed_step(request)
            if step is not None:
                return self.refuse(request, step)
        return self.get_response(request)

    def refuse(self, request: HttpRequest, step: mfa.Step) -> HttpResponse:
        if is_api(request):
            message = _("Finish two-factor sign-in on the sign-in page first.")
            return JsonResponse({"detail": message, "code": "mfa_required"}, status=403)
        url = reverse(STEP_URL_NAMES[step])
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


def _connects_as_nobody(scope) -> bool:
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return False
    verified = mfa.session_verified(user, scope["session"])
    return mfa.pending_step(user, verified) is not None


class MfaWebSocketMiddleware(BaseMiddleware):
    """Inside channels' ``AuthMiddlewareStack``: a session that owes a code is anonymous here."""

    async def __call__(self, scope, receive, send):
        if await database_sync_to_async(_connects_as_nobody)(scope):
            scope = dict(scope, user=AnonymousUser())
        return await super().__call__(scope, receive, send)
