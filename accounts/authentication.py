"""``Authorization: Token <key>`` for phones, checked against ``accounts.ApiToken``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.services import tokens


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header; the token must be active (not expired, not revoked) and its user active.

    ``request.auth`` is the ``ApiToken``, so a phone's list of tokens can mark its own.
    """

    def authenticate_credentials(self, key):
        token = tokens.authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return (token.user, token)
