"""Token sign-in for phones, and a person's own tokens (list, revoke: a lost phone)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import ApiTokenSerializer, IssuedTokenSerializer, TokenRequestSerializer
from accounts.models import AccessKind
from accounts.permissions import AuthenticatedRequest
from accounts.services import access, mfa, tokens
from gridcenter.api import BaseAPIView, ScopedRateThrottle  # fails open when Redis is down
from gridcenter.errors import DomainValidationError


class TokenView(APIView):
    """Exchange a username and password for a phone's API token (``API_TOKEN_DAYS`` long).

    Limited per client address (``API_TOKEN_RATE``); failures count towards the login lockout,
    and a locked account or address gets 429 with a message saying so. An account with
    two-factor authentication also sends ``otp`` (400 on the field when missing or wrong,
    429 while wrong codes are throttled).
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=IssuedTokenSerializer)
    def post(self, request: Request) -> Response:
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        # Django's request, where django-axes records the attempt and marks a lockout.
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to sign in with that username and password.")]}
            )
        second_factor(user, data["otp"], request._request)
        # authenticate() alone sends no user_logged_in: this sign-in is recorded here.
        access.record(AccessKind.LOGIN, request=request._request, user=user)
        device = data["device"] or request.META.get("HTTP_USER_AGENT", "")
        token, key = tokens.issue(user, device=device, request=request._request)
        return Response(IssuedTokenSerializer({"token": key, "expires_at": token.expires_at}).data)


class CodesThrottled(exceptions.APIException):
    """429 with ``Retry-After`` (DRF's handler sends ``wait``) and the domain's message as it is."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, detail: str, code: str, wait: int) -> None:
        super().__init__(detail, code)
        self.wait = wait


def second_factor(user: User, code: str, request: HttpRequest) -> None:
    """A token for an account with an authenticator needs its code (``otp``); one whose role
    requires MFA and has none gets no token until it is set up on the website."""
    step = mfa.pending_step(user, verified=False)
    if step is None:
        return
    if step is mfa.Step.SETUP:
        message = _("Your role must use two-factor authentication: set it up on the website first.")
        raise exceptions.ValidationError({"otp": [message]}, code="mfa_setup_required")
    if not code.strip():
        raise exceptions.ValidationError({"otp": [_("Enter the code from your authenticator app.")]}, code="required")
    try:
        mfa.verify(user, code, request=request, purpose=mfa.Purpose.API_TOKEN)
    except mfa.ThrottledError as error:
        raise CodesThrottled(error.message, code=error.code, wait=error.retry_after) from None
    except DomainValidationError as error:
        raise exceptions.ValidationError({"otp": error.errors["code"]}) from None


class MyTokensView(BaseAPIView):
    """``GET /api/v1/me/tokens/``: the caller's active tokens, newest first."""

    request: AuthenticatedRequest

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        active = tokens.active_tokens(request.user)
        return Response(ApiTokenSerializer(active, many=True, context={"request": request}).data)


class MyTokenView(BaseAPIView):
    """``DELETE /api/v1/me/tokens/<id>/``: end one of the caller's tokens (204; another's: 404)."""

    request: AuthenticatedRequest

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        tokens.revoke_own(request.user, pk, request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
