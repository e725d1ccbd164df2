"""Phones' API tokens: issued at sign-in, checked on each call, listed and revoked.

Every change to a token goes through here: the API (a person's own tokens), the admin
(a lost phone) and the signals that end a person's tokens when the account is
deactivated or loses a role. Each creation and revocation goes to the access record.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccessKind, AccessRecord, ApiToken, ApiTokenQuerySet, TokenRevocation
from accounts.services import access
from gridcenter.errors import NotFoundError

# A token's last use is written at most this often (not on every call of a busy phone).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(user: User, device: str = "", *, request: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and never stored."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, digest=digest(key), prefix=key[:8], device=device[:100])
    access.record(AccessKind.TOKEN_CREATED, request=request, user=user, target=_named(token), detail=token.device)
    return token, key


def _named(token: ApiToken) -> str:
    return f"token {token.pk} ({token.prefix}…)"


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


def revoke_own(user: User, token_id: int, *, request: Any = None) -> None:
    """The owner ends one of their tokens (another person's token is not found)."""
    if not _revoke(active_tokens(user).filter(pk=token_id), TokenRevocation.USER, by=user, request=request):
        raise NotFoundError(_("No such token."))


def revoke_by_admin(admin: User, tokens: ApiTokenQuerySet, *, request: Any = None) -> int:
    return _revoke(tokens.active(), TokenRevocation.ADMIN, by=admin, request=request)


def revoke_all(user_ids: list[int], reason: TokenRevocation) -> int:
    """End every active token of these users (deactivated, or a role removed)."""
    return _revoke(ApiToken.objects.active().filter(user_id__in=user_ids), reason, by=None)


def _revoke(tokens: ApiTokenQuerySet, reason: TokenRevocation, by: User | None, request: Any = None) -> int:
    """End these tokens; one access-record row per token ended (who: ``by``, or the system)."""
    with transaction.atomic():
        ended = list(tokens.filter(revoked_at__isnull=True).select_for_update(of=("self",)).select_related("user"))
        ApiToken.objects.filter(pk__in=[token.pk for token in ended]).update(
            revoked_at=timezone.now(), revoked_reason=reason, revoked_by=by
        )
        rows = [
            access.row(
                AccessKind.TOKEN_REVOKED,
                request=request,
                user=by,
                target=_named(token),
                detail=f"{token.user.get_username()}: {reason.label}",
            )
            for token in ended
        ]
        AccessRecord.objects.bulk_create(rows)
    return len(ended)
