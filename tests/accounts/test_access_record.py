"""The access record: sign-ins, failed sign-ins, tokens made and ended, exports and a caller's
full contact seen, each with who, when and from where; read-only for the admin, never changed,
pruned after ACCESS_RECORD_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AccessChannel, AccessKind, AccessRecord, ApiToken
from accounts.roles import Role
from accounts.services import access
from accounts.tasks import prune_access_records_task
from incidents.choices import CaseSource
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("isolated_cache")
FROM = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}  # behind one proxy


def rows(kind: AccessKind) -> list[AccessRecord]:
    return list(AccessRecord.objects.filter(kind=kind).order_by("id"))


def test_page_sign_ins_and_failures_are_recorded_with_the_client_address(make_user, client):
    user = make_user("w1", Role.GRID_WORKER)
    client.post("/accounts/login/", {"username": "w1", "password": "wrong"}, **FROM)
    client.post("/accounts/login/", {"username": "w1", "password": PASSWORD}, **FROM)
    (failed,) = rows(AccessKind.LOGIN_FAILED)
    assert (failed.username, failed.user, failed.channel, failed.client_ip) == ("w1", None, "page", "203.0.113.7")
    (signed_in,) = rows(AccessKind.LOGIN)
    assert (signed_in.user, signed_in.username, signed_in.channel, signed_in.client_ip) == (
        user,
        "w1",
        AccessChannel.PAGE,
        "203.0.113.7",
    )


def test_api_sign_ins_failures_and_tokens_are_recorded(make_user):
    user = make_user("w1", Role.GRID_WORKER)
    api = APIClient()
    assert (
        api.post("/api/v1/auth/token/", {"username": "w1", "password": "x"}, format="json", **FROM).status_code == 400
    )
    response = api.post("/api/v1/auth/token/", {"username": "w1", "password": PASSWORD, "device": "红米"}, **FROM)
    assert response.status_code == 200
    (failed,) = rows(AccessKind.LOGIN_FAILED)
    assert (failed.username, failed.channel, failed.client_ip) == ("w1", "api", "203.0.113.7")
    (signed_in,) = rows(AccessKind.LOGIN)
    assert (signed_in.user, signed_in.channel, signed_in.client_ip) == (user, "api", "203.0.113.7")
    token = ApiToken.objects.get(user=user)
    (created,) = rows(AccessKind.TOKEN_CREATED)
    assert (created.user, created.target, created.detail) == (user, f"token {token.pk} ({token.prefix}…)", "红米")

    phone = APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert phone.delete(f"/api/v1/me/tokens/{token.pk}/", **FROM).status_code == 204
    (revoked,) = rows(AccessKind.TOKEN_REVOKED)
    assert (revoked.user, revoked.client_ip, revoked.target) == (user, "203.0.113.7", created.target)
    assert revoked.detail.startswith("w1: ")


def test_tokens_ended_by_a_deactivation_are_recorded_as_the_systems_doing(make_user):
    from accounts.services import tokens

    user = make_user("w1", Role.GRID_WORKER)
    tokens.issue(user, "phone one")
    tokens.issue(user, "phone two")
    user.is_active = False
    user.save()
    ended = rows(AccessKind.TOKEN_REVOKED)
    assert len(ended) == 2 and {row.channel for row in ended} == {"system"} and {row.user for row in ended} == {None}


def test_an_export_request_is_recorded(leader, media_root):
    from exports import services

    services.register("test-access", lambda export, progress: services.Built("a.txt", b"x", "text/plain"))
    try:
        export = services.request_export(leader, "test-access", title="名单", params={}, rows=1, sync_limit=10)
    finally:
        services._BUILDERS.pop("test-access", None)
    (row,) = rows(AccessKind.EXPORT)
    assert (row.user, row.target, row.detail) == (leader, f"export {export.pk}", "test-access: 名单")


def test_every_view_of_a_callers_full_contact_is_recorded_and_masked_views_are_not(city):
    case = city.report(city.dispatcher, source=CaseSource.HOTLINE, reporter_name="李小红", reporter_phone="13812345678")
    page = Client()
    page.force_login(city.dispatcher)
    assert "13812345678" in page.get(f"/console/cases/{case.pk}/", **FROM).content.decode()
    api = APIClient()
    api.force_authenticate(city.dispatcher)
    assert api.get(f"/api/v1/incidents/{case.pk}/", **FROM).json()["reporter"]["phone"] == "13812345678"
    seen = rows(AccessKind.CONTACT_VIEWED)
    assert [(row.user, row.channel, row.client_ip) for row in seen] == [
        (city.dispatcher, "page", "203.0.113.7"),
        (city.dispatcher, "api", "203.0.113.7"),
    ]
    assert {row.target for row in seen} == {f"case {case.pk} {case.tracking_no}"}

    own = city.report()  # a grid worker's report names no caller: nothing to record
    assert api.get(f"/api/v1/incidents/{own.pk}/").status_code == 200
    assert len(rows(AccessKind.CONTACT_VIEWED)) == 2


def test_the_admin_reads_the_record_and_nobody_edits_it(admin_user, make_user, client):
    row = access.record(AccessKind.LOGIN_FAILED, username="someone")
    client.force_login(admin_user)
    assert client.get("/admin/accounts/accessrecord/").status_code == 200
    assert client.get(f"/admin/accounts/accessrecord/{row.pk}/change/").status_code == 200  # a read-only view
    assert client.get("/admin/accounts/accessrecord/add/").status_code == 403
    assert client.post(f"/admin/accounts/accessrecord/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/accounts/accessrecord/{row.pk}/change/", {"username": "x"}).status_code == 403
    staff = make_user("staff-dispatcher", Role.DISPATCHER, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/accounts/accessrecord/").status_code == 403
    assert AccessRecord.objects.get(pk=row.pk).username == "someone"


def test_the_database_refuses_to_change_or_delete_a_row(db):
    row = access.record(AccessKind.LOGIN_FAILED, username="someone")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRecord.objects.filter(pk=row.pk).update(username="nobody")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRecord.objects.filter(pk=row.pk).delete()
    old = AccessRecord.objects.create(
        kind=AccessKind.LOGIN, channel="page", username="old", at=timezone.now() - timedelta(days=400)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRecord.objects.filter(pk=old.pk).delete()  # old or not: only the prune deletes
    assert AccessRecord.objects.count() == 2


def test_the_daily_prune_deletes_only_rows_older_than_the_setting(db, settings):
    settings.ACCESS_RECORD_DAYS = 30
    now = timezone.now()
    for days in (31, 40, 29, 0):
        AccessRecord.objects.create(
            kind=AccessKind.LOGIN, channel="page", username=f"d{days}", at=now - timedelta(days=days)
        )
    assert prune_access_records_task.apply().get() == 2
    assert sorted(AccessRecord.objects.values_list("username", flat=True)) == ["d0", "d29"]
    settings.ACCESS_RECORD_DAYS = 180
    with pytest.raises(IntegrityError), transaction.atomic():  # younger than the retention: refused
        AccessRecord.objects.filter(username="d29").delete()
