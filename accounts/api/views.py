"""Token sign-in for phones, and a person's own tokens (list, revoke: a lost phone)."""

from __future__ import annotations

from django.contrib.auth import authenticate
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
from accounts.services import access, tokens
from gridcenter.api import BaseAPIView, ScopedRateThrottle  # fails open when Redis is down


class TokenView(APIView):
    """Exchange a username and password for a phone's API token (``API_TOKEN_DAYS`` long).

    Limited per client address (``API_TOKEN_RATE``); failures count towards the login lockout,
    and a locked account or address gets 429 with a message saying so.
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
        # authenticate() alone sends no user_logged_in: this sign-in is recorded here.
        access.record(AccessKind.LOGIN, request=request._request, user=user)
        device = data["device"] or request.META.get("HTTP_USER_AGENT", "")
        token, key = tokens.issue(user, device=device, request=request._request)
        return Response(IssuedTokenSerializer({"token": key, "expires_at": token.expires_at}).data)


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
