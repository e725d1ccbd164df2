"""The statistics tables as Excel and CSV: at once when small, through the worker when large."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from exports.choices import ExportState
from exports.models import Export
from notifications.models import Notification
from tests.stats.conftest import END, START

pytestmark = pytest.mark.usefixtures("isolated_cache", "media_root")
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_breakdown_as_excel_with_chinese_headers(city, mixed, client):
    client.force_login(city.leader)
    response = client.post("/stats/export/", {**PERIOD, "by": "township", "table": "breakdown", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("乡镇（街道）", "案件数", "上期", "环比", "去年同期", "同比")
    assert rows[1][:3] == ("测试街道", 6, 0) and rows[2][:2] == ("二号乡", 1)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_the_hour_by_weekday_table_as_csv(city, mixed, client):
    client.force_login(city.leader)
    response = client.post("/stats/export/", {**PERIOD, "table": "hour_weekday", "format": "csv"})
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "星期" and rows[0][-1] == "合计" and len(rows) == 8
    assert sum(int(row[-1]) for row in rows[1:]) == 7
    monday = rows[1]  # 2 March 2026 was a Monday: the closed case at 09:00
    assert monday[0] == "星期一" and monday[1 + 9] == "1"


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The ids the page hands to the worker (``build_export_task.delay``), kept here instead."""
    from exports import tasks

    handed: list[int] = []
    monkeypatch.setattr(tasks.build_export_task, "delay", handed.append)
    return handed


def test_a_large_export_goes_to_the_worker_and_tells_its_owner(
    city, mixed, client, settings, queued, django_capture_on_commit_callbacks
):
    from exports import tasks

    settings.STATS_EXPORT_SYNC_ROWS = 1
    client.force_login(city.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/stats/export/", {**PERIOD, "by": "status", "table": "breakdown", "format": "xlsx"})
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{export.pk}/"
    assert queued == [export.pk] and export.state == ExportState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.build_export_task(export.pk) is True  # the task's body, as the worker runs it
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.progress == 100 and export.filename.endswith(".xlsx")
    rows = list(load_workbook(export.file.open("rb")).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("状态", "案件数") and sum(row[1] for row in rows[1:]) == 7
    assert Notification.objects.get(recipient=city.leader).link == f"/exports/{export.pk}/download/"


def test_a_period_too_long_to_show_is_exported_by_the_worker(city, client, queued, django_capture_on_commit_callbacks):
    client.force_login(city.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/stats/export/", {"from": "2020-01-01", "to": "2026-03-01", "table": "breakdown", "format": "csv"}
        )
    assert response.status_code == 302 and len(queued) == 1 and Export.objects.get().asynchronous


@pytest.mark.parametrize(
    "data",
    [
        {"table": "secrets", "format": "xlsx"},
        {"table": "breakdown", "format": "pdf"},
        {"table": "breakdown", "format": "csv", "by": "colour"},
    ],
)
def test_a_bad_export_request_is_a_400(city, client, data):
    client.force_login(city.leader)
    assert client.post("/stats/export/", data).status_code == 400


def test_grid_workers_may_not_export(city, client):
    client.force_login(city.worker_a)
    assert client.post("/stats/export/", {"table": "breakdown", "format": "csv"}).status_code == 403
