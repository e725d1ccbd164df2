"""Two-factor authentication in the admin: the site wants a verified session, secrets stay out
of it, and an administrator resets a person's authenticator (a lost phone)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AccessKind, AccessRecord
from accounts.roles import Role
from tests.accounts.mfa import enforced, enrol, fresh_code  # noqa: F401  (enforced: a fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("isolated_cache")


@pytest.fixture
def admin_client(client, make_user):
    """An administrator signed in with password and code."""
    user = make_user("root", Role.ADMIN, is_staff=True, is_superuser=True)
    enrol(user)
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    assert client.post("/accounts/mfa/verify/", {"code": fresh_code(user)}).status_code == 302
    return client


def site_admits(user, session: dict) -> bool:
    request = RequestFactory().get("/admin/")
    request.session = session  # type: ignore[assignment]
    request.user = user
    OTPMiddleware(lambda r: None)._install_lazy_accessors(request)
    return admin.site.has_permission(request)


def test_the_admin_site_itself_wants_the_code_of_whoever_has_or_needs_one(make_user, settings):
    root = make_user("root", Role.ADMIN, is_staff=True, is_superuser=True)
    assert site_admits(root, {})  # development: nobody must use MFA, root has none
    settings.MFA_REQUIRED_ROLES = ["admin"]
    assert not site_admits(root, {})
    enrol(root)
    assert not site_admits(root, {})
    device = TOTPDevice.objects.get(user=root)
    assert site_admits(root, {DEVICE_ID_SESSION_KEY: device.persistent_id})


def test_an_administrator_resets_a_lost_phone(admin_client, make_user, enforced):  # noqa: F811
    dispatcher = make_user("d1", Role.DISPATCHER)
    worker = make_user("w1", Role.GRID_WORKER)
    enrol(dispatcher)
    enrol(worker)
    listing = admin_client.get("/admin/auth/user/?mfa=on")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "双因素认证" in html and "d1" in html and "重置双因素认证（手机丢失）" in html
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_mfa", "_selected_action": [dispatcher.pk, worker.pk]},
        follow=True,
    )
    assert "已为 2 人重置双因素认证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user__in=[dispatcher, worker]).exists()
    assert not StaticDevice.objects.filter(user__in=[dispatcher, worker]).exists()
    resets = AccessRecord.objects.filter(kind=AccessKind.MFA_RESET).order_by("target")
    assert [(row.username, row.target) for row in resets] == [("root", "d1"), ("root", "w1")]
    # The dispatcher sets up the new phone at the next sign-in; the grid worker signs in with the password.
    client = admin_client.__class__()
    landing = client.post("/accounts/login/", {"username": "d1", "password": PASSWORD})
    assert client.get(landing["Location"])["Location"].startswith("/accounts/mfa/setup/")
    client = admin_client.__class__()
    landing = client.post("/accounts/login/", {"username": "w1", "password": PASSWORD})
    assert client.get(landing["Location"])["Location"] == "/m/"


def test_secrets_and_recovery_codes_stay_out_of_the_admin(admin_client):
    for path in ["/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"]:
        assert admin_client.get(path).status_code == 404
    assert "otp_totp" not in admin_client.get("/admin/").content.decode()


def test_a_password_alone_does_not_open_the_admin_for_a_person_with_mfa(client, make_user):
    root = make_user("root", Role.ADMIN, is_staff=True, is_superuser=True)
    enrol(root)
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD})
    response = client.get("/admin/auth/user/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/mfa/verify/")
