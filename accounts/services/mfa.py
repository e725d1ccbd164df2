"""Two-factor sign-in (双因素认证, MFA): an authenticator app (TOTP) and single-use recovery codes.

Built on django-otp: a person's authenticator is a confirmed ``TOTPDevice``, their recovery
codes the tokens of one ``StaticDevice``. Every change goes through here (the pages, the
token endpoint, the admin), and each goes to the access record: enrolment, every wrong
code, every recovery code used, new codes, a person turning it off, an administrator's
reset. Wrong codes are throttled by django-otp per device: after n failures in a row the
device refuses every code, right ones too, for 2^(n-1) seconds.

Who must use it: the roles of ``MFA_REQUIRED_ROLES`` (production: dispatcher, leader,
admin). Anyone else may turn it on; whoever has it gives a code at every sign-in.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessKind
from accounts.roles import Role, has_role
from accounts.services import access
from gridcenter.errors import ConflictError, DomainError, DomainValidationError

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"
_TOTP_CODE = re.compile(r"\d{6}")


class Step(StrEnum):
    """What a signed-in session still owes before it may use the site."""

    SETUP = "setup"  # MFA is required and the person has no authenticator yet
    VERIFY = "verify"  # the person has one, and this session has not given a code


class Purpose(models.TextChoices):
    """What a code is given for, as the access record's detail says it (in the person's language)."""

    SIGN_IN = "sign-in", gettext_lazy("sign-in")
    API_TOKEN = "api-token", gettext_lazy("API token")
    ENROLMENT = "enrolment", gettext_lazy("turning it on")
    RENEW = "renew", gettext_lazy("new recovery codes")
    TURN_OFF = "turn-off", gettext_lazy("turning it off")


class ThrottledError(DomainError):
    """Too many wrong codes in a row: the device refuses codes for ``retry_after`` seconds."""

    status_code = 429
    default_code = "otp_throttled"

    def __init__(self, retry_after: int) -> None:
        message = _("Too many wrong codes. Try again in %(seconds)d seconds.") % {"seconds": retry_after}
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the secret as a QR code and as text."""

    device: TOTPDevice
    secret: str  # base32, in groups of four, for typing into the app by hand
    qr_svg: str


def required_roles() -> frozenset[Role]:
    return frozenset(Role(name) for name in settings.MFA_REQUIRED_ROLES)


def check_settings() -> None:
    """Stop at start-up on an unknown role in ``MFA_REQUIRED_ROLES`` (a typo would switch MFA off)."""
    known = {role.value for role in Role}
    unknown = [name for name in settings.MFA_REQUIRED_ROLES if name not in known]
    if unknown:
        raise ImproperlyConfigured(
            f"MFA_REQUIRED_ROLES: unknown role {', '.join(unknown)} (roles: {', '.join(sorted(known))})."
        )


def is_required(user: User | AnonymousUser) -> bool:
    roles = required_roles()
    return bool(roles) and has_role(user, *roles)


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(user: Any, verified: bool) -> Step | None:
    """What this signed-in ``user``'s session must do first (``verified``: it gave a code), or ``None``."""
    if not user.is_authenticated or verified:
        return None
    if has_authenticator(user):
        return Step.VERIFY
    return Step.SETUP if is_required(user) else None


def session_verified(user: Any, session: Any) -> bool:
    """Whether ``session`` holds a code given with one of ``user``'s confirmed devices (for
    WebSockets, which django-otp's middleware does not see)."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


# --- enrolment ------------------------------------------------------------------------------


def start_enrolment(user: User) -> Enrolment:
    """The secret to scan: one unconfirmed authenticator per person, kept until confirmed,
    so that reloading the page shows the same code."""
    if has_authenticator(user):
        raise ConflictError(_("Two-factor authentication is already on."), code="mfa_enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    return Enrolment(device=device, secret=grouped, qr_svg=svg)


def confirm_enrolment(user: User, code: str, *, request: Any = None) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app confirms the authenticator; returns it and the recovery codes."""
    with transaction.atomic():
        if has_authenticator(user):
            raise ConflictError(_("Two-factor authentication is already on."), code="mfa_enrolled")
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise DomainValidationError.field("code", _("Scan the code on this page first."))
        outcome = _attempt(device, normalise(code), user, request, str(Purpose.ENROLMENT.label))
        if isinstance(outcome, Device):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            codes = _replace_recovery_codes(user)
            access.record(AccessKind.MFA_ENROLLED, request=request, user=user, target=user.get_username())
    # Raised outside the transaction: the failure's record and the throttle's count stay.
    if isinstance(outcome, DomainError):
        raise outcome
    return device, codes


def renew_recovery_codes(user: User, code: str, *, request: Any = None) -> list[str]:
    """New recovery codes (the old ones stop working), against a code from the app."""
    with transaction.atomic():
        outcome = _attempt(_authenticator_for_update(user), normalise(code), user, request, str(Purpose.RENEW.label))
        if isinstance(outcome, Device):
            codes = _replace_recovery_codes(user)
            access.record(AccessKind.MFA_CODES_RENEWED, request=request, user=user, target=user.get_username())
    if isinstance(outcome, DomainError):
        raise outcome
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- verification ---------------------------------------------------------------------------


def normalise(code: str) -> str:
    """What a person typed, as stored: no spaces or dashes, lower case (``ABCD-EFGH`` → ``abcdefgh``)."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def verify(user: User, code: str, *, request: Any = None, purpose: Purpose = Purpose.SIGN_IN) -> Device:
    """The device that accepts ``code``: six digits go to the authenticator, anything else to
    the recovery codes (each works once). Raises ``DomainValidationError`` (field ``code``) for
    a wrong code and ``ThrottledError`` while the device refuses codes."""
    typed, why = normalise(code), str(purpose.label)
    with transaction.atomic():
        if _TOTP_CODE.fullmatch(typed):
            outcome = _attempt(_authenticator_for_update(user), typed, user, request, why)
            if isinstance(outcome, Device):
                access.record(AccessKind.MFA_VERIFIED, request=request, user=user, detail=why)
        else:
            recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            outcome = _attempt(recovery, typed, user, request, _("%(purpose)s, recovery code") % {"purpose": why})
            if isinstance(outcome, Device):
                left = recovery_codes_left(user)
                detail = _("%(purpose)s; recovery codes left: %(left)d") % {"purpose": why, "left": left}
                access.record(AccessKind.MFA_RECOVERY_USED, request=request, user=user, detail=detail)
    # Raised outside the transaction: the failure's record and the throttle's count stay.
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def _authenticator_for_update(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()


def _attempt(device: Device | None, typed: str, user: User, request: Any, purpose: str) -> Device | DomainError:
    """``device`` if it accepts ``typed``, else the error to raise (once the transaction is over),
    each failure recorded; a throttled device is not asked."""
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked_until = (info or {}).get("locked_until") or timezone.now()
            detail = _("%(purpose)s: refused, too many wrong codes") % {"purpose": purpose}
            access.record(AccessKind.MFA_FAILED, request=request, user=user, detail=detail)
            return ThrottledError(max(1, math.ceil((locked_until - timezone.now()).total_seconds())))
        if typed and device.verify_token(typed):
            return device
    access.record(AccessKind.MFA_FAILED, request=request, user=user, detail=purpose)
    return DomainValidationError.field("code", _wrong_code())


def _wrong_code() -> str:
    return _("That code is not right. Enter the six digits the app shows now, or one of your recovery codes.")


def sign_in(request: Any, device: Device) -> None:
    """Mark this session as verified by ``device`` (a new session key: no fixation)."""
    request.session.cycle_key()
    otp_login(request, device)


# --- turning it off -------------------------------------------------------------------------


def disable_own(user: User, code: str, *, request: Any = None) -> None:
    """The person turns MFA off (or starts again: a required role is sent to enrolment), with a
    code from the app or a recovery code."""
    verify(user, code, request=request, purpose=Purpose.TURN_OFF)
    with transaction.atomic():
        _delete_devices([user.pk])
        access.record(AccessKind.MFA_DISABLED, request=request, user=user, target=user.get_username())


def reset_by_admin(admin: User, users: Any, *, request: Any = None) -> int:
    """An administrator removes these people's authenticators and recovery codes (a lost
    phone): each sets MFA up again at the next sign-in (if required) . Returns how many had one."""
    with transaction.atomic():
        targets = list(users.filter(totpdevice__confirmed=True).distinct())
        _delete_devices([user.pk for user in users])
        for user in targets:
            access.record(AccessKind.MFA_RESET, request=request, user=admin, target=user.get_username())
    return len(targets)


def _delete_devices(user_ids: list[int]) -> None:
    TOTPDevice.objects.filter(user_id__in=user_ids).delete()
    StaticDevice.objects.filter(user_id__in=user_ids).delete()
