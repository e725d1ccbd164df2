"""Helpers of the two-factor tests: an authenticator app's codes, a person enrolled."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import mfa

CENTRE = ["dispatcher", "leader", "admin"]


@pytest.fixture
def enforced(settings):
    """MFA required for the centre's roles, as production has it."""
    settings.MFA_REQUIRED_ROLES = CENTRE


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or ``steps_ahead`` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def fresh_code(user) -> str:
    """A code the server has not seen yet: a code works once (the app's next one would do, in
    30 s); tests that sign in twice forget the last one used instead of waiting."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1, throttling_failure_count=0)
    return app_code(TOTPDevice.objects.get(user=user, confirmed=True))


def enrol(user) -> list[str]:
    """Turn MFA on for ``user`` as the enrolment page does; returns the recovery codes."""
    device = mfa.start_enrolment(user).device
    _device, codes = mfa.confirm_enrolment(user, app_code(device))
    return codes
