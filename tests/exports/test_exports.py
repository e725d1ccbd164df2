"""The exports app on a builder of its own: at once or in the background, recorded, told, private."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from exports import services
from exports.choices import ExportState
from exports.models import Export
from notifications.choices import NotificationKind
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("isolated_cache", "media_root")


def build_text(export, progress):
    for done in range(1, 5):
        progress(done, 4)
    if export.params.get("fail"):
        raise RuntimeError("the data went away")
    return services.Built("清单.txt", f"{export.params['n']} rows".encode(), "text/plain")


@pytest.fixture(autouse=True)
def text_builder():
    services.register("test-text", build_text)
    yield
    services._BUILDERS.pop("test-text", None)


def ask(user, rows=3, **params):
    return services.request_export(
        user, "test-text", title="测试清单", params={"n": rows, **params}, rows=rows, sync_limit=10
    )


def test_a_small_export_is_built_at_once_and_recorded(leader, client):
    export = ask(leader)
    assert export.state == ExportState.DONE and export.progress == 100 and not export.asynchronous
    assert export.file.name.startswith("exports/") and export.filename == "清单.txt"
    assert export.requested_by == leader and export.finished_at and export.rows == 3
    assert not Notification.objects.exists()  # the page answered with the file: nobody to tell

    client.force_login(leader)
    response = client.get(f"/exports/{export.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"3 rows"
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "private, no-store"
    assert client.get("/exports/").content.decode().count("测试清单") == 1


def test_a_large_export_waits_for_a_worker_then_tells_its_owner(leader, client, django_capture_on_commit_callbacks):
    queued = []
    from exports import tasks

    original = tasks.build_export_task.delay
    tasks.build_export_task.delay = queued.append
    try:
        with django_capture_on_commit_callbacks(execute=True):
            export = ask(leader, rows=11)
    finally:
        tasks.build_export_task.delay = original
    assert queued == [export.pk] and export.state == ExportState.PENDING and export.asynchronous

    client.force_login(leader)
    status = client.get(f"/exports/{export.pk}/status/").json()
    assert status["state"] == "pending" and status["download_url"] is None
    assert client.get(f"/exports/{export.pk}/download/").status_code == 302  # not ready: to its page
    page = client.get(f"/exports/{export.pk}/").content.decode()
    assert f'data-status-url="/exports/{export.pk}/status/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        assert services.run(export.pk) is True
    assert services.run(export.pk) is False  # delivered twice: built once
    status = client.get(f"/exports/{export.pk}/status/").json()
    assert status["state"] == "done" and status["progress"] == 100
    assert status["download_url"] == f"/exports/{export.pk}/download/"
    note = Notification.objects.get(recipient=leader)
    assert note.kind == NotificationKind.EXPORT and "测试清单" in note.text
    assert note.link == status["download_url"]  # the download itself


def test_a_failed_build_is_recorded_and_told(leader, django_capture_on_commit_callbacks):
    export = ask(leader, rows=11, fail=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.run(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and "the data went away" in export.error and not export.file
    note = Notification.objects.get(recipient=leader)
    assert "失败" in note.text and note.link == f"/exports/{export.pk}/"


def test_only_the_owner_and_administrators_see_an_export(leader, dispatcher, admin_user, client, make_user):
    export = ask(leader)
    client.force_login(dispatcher)
    for url in (f"/exports/{export.pk}/", f"/exports/{export.pk}/status/", f"/exports/{export.pk}/download/"):
        assert client.get(url).status_code == 404, url
    assert "测试清单" not in client.get("/exports/").content.decode()
    client.force_login(admin_user)
    assert client.get(f"/exports/{export.pk}/download/").status_code == 200
    client.logout()
    assert client.get(f"/exports/{export.pk}/download/").status_code == 302  # to the login page
    other_admin = make_user("t-admin2", Role.ADMIN)
    assert services.get_export(other_admin, export.pk) == export


def test_an_unknown_kind_is_refused(leader):
    with pytest.raises(ValueError, match="no export builder"):
        services.request_export(leader, "nothing", title="x", params={}, rows=1, sync_limit=10)
    assert not Export.objects.exists()
