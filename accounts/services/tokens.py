"""Phones' API tokens: issued at sign-in, checked on each call, listed and revoked.

Every change to a token goes through here: the API (a person's own tokens), the admin
(a lost phone) and the signals that end a person's tokens when the account is
deactivated or loses a role.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, ApiTokenQuerySet, TokenRevocation
from gridcenter.errors import NotFoundError

# A token's last use is written at most this often (not on every call of a busy phone).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user: User, device: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and never stored."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8], device=device[:100])
    return token, key


def authenticate(key: str) -> ApiToken | None:
    """The active token with this key, its user loaded, or ``None``; notes its use."""
    token = ApiToken.objects.active().select_related("user").filter(digest=digest(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def active_tokens(user: User) -> ApiTokenQuerySet:
    return ApiToken.objects.active().filter(user=user)


def revoke_own(user: User, token_id: int) -> None:
    """The owner ends one of their tokens (another person's token is not found)."""
    if not _revoke(active_tokens(user).filter(pk=token_id), TokenRevocation.USER, by=user):
        raise NotFoundError(_("No such token."))


def revoke_by_admin(admin: User, tokens: ApiTokenQuerySet) -> int:
    return _revoke(tokens.active(), TokenRevocation.ADMIN, by=admin)


def revoke_all(user_ids: list[int], reason: TokenRevocation) -> int:
    """End every active token of these users (deactivated, or a role removed)."""
    return _revoke(ApiToken.objects.active().filter(user_id__in=user_ids), reason, by=None)


def _revoke(tokens: ApiTokenQuerySet, reason: TokenRevocation, by: User | None) -> int:
    return tokens.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason, revoked_by=by
    )
