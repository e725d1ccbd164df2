"""The case-list export: the list on the page (filters, sort, visibility) as Excel or CSV."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from openpyxl import load_workbook

from accounts.models import AccessKind, AccessRecord
from exports import services as export_services
from exports.choices import ExportState
from exports.models import Export
from incidents.choices import CaseStatus
from notifications.models import Notification

pytestmark = pytest.mark.usefixtures("isolated_cache", "media_root")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_excel_export_is_the_filtered_sorted_list_with_chinese_headers_and_masked_phones(city, client):
    a = city.report(description="路灯不亮", reporter_name="张三丰", reporter_phone="13812345678")
    b = city.report(description="路灯闪烁")
    city.report(description="井盖缺失")
    client.force_login(city.dispatcher)
    response = client.get("/console/cases/export/", {"q": "路灯", "ordering": "tracking_no"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("案件编号", "状态", "大类", "小类") and "电话" in rows[0][13]
    assert [row[0] for row in rows[1:]] == [a.tracking_no, b.tracking_no]
    assert rows[1][12] == "张**" and rows[1][13] == "138****5678"
    assert rows[1][1] == "已上报" and rows[1][14].year >= 2026  # a local time, as a date cell
    assert sheet.freeze_panes == "A2"
    record = AccessRecord.objects.get(kind=AccessKind.EXPORT)
    assert record.user == city.dispatcher


def test_the_csv_export_opens_in_excel_and_follows_the_sort(city, client):
    a, b = city.report(description="垃圾一"), city.report(description="垃圾二")
    client.force_login(city.dispatcher)
    response = client.get("/console/cases/export/", {"q": "垃圾", "ordering": "-tracking_no", "format": "csv"})
    content = body(response)
    assert content.startswith("\ufeff".encode()) and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "案件编号" and [row[0] for row in rows[1:]] == [b.tracking_no, a.tracking_no]


def test_a_department_exports_only_its_own_cases(city, client):
    mine = city.case_in(CaseStatus.DISPATCHED)
    elsewhere = city.report()
    client.force_login(city.officer_lead)
    sheet = load_workbook(io.BytesIO(body(client.get("/workbench/export/")))).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [mine.tracking_no] and elsewhere.tracking_no not in numbers
    client.force_login(city.officer_unrelated)
    sheet = load_workbook(io.BytesIO(body(client.get("/workbench/export/")))).active
    assert sheet.max_row == 1  # the header only
    assert client.get("/console/cases/export/").status_code == 403  # the console's list is the centre's


def test_a_large_export_is_built_by_a_worker_and_told(city, client, settings, django_capture_on_commit_callbacks):
    settings.CASE_EXPORT_SYNC_ROWS = 1
    cases = [city.report() for _ in range(3)]
    from exports import tasks

    queued: list[int] = []
    original = tasks.build_export_task.delay
    tasks.build_export_task.delay = queued.append
    client.force_login(city.dispatcher)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get("/console/cases/export/", {"format": "csv"})
    finally:
        tasks.build_export_task.delay = original
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{export.pk}/"
    assert queued == [export.pk] and export.asynchronous and export.rows == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert export_services.run(export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.DONE and export.filename.endswith(".csv")
    note = Notification.objects.get(recipient=city.dispatcher)
    assert note.link == f"/exports/{export.pk}/download/"
    content = body(client.get(note.link)).decode("utf-8-sig")
    assert all(case.tracking_no in content for case in cases)


def test_a_queue_exports_its_own_cases_with_its_search(city, client):
    # The export link of 新上报 lists the queue's cases (its statuses and search), not all cases.
    wanted = city.report(description="路灯不亮")
    city.report(description="井盖缺失")
    dispatched = city.case_in(CaseStatus.DISPATCHED)
    client.force_login(city.dispatcher)
    page = client.get("/console/", {"q": "路灯"}).content.decode()
    link = re.search(r'href="(/console/cases/export/\?[^"]*format=csv)"', page)
    assert link is not None
    content = body(client.get(html.unescape(link.group(1))))
    numbers = [row[0] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]
    assert numbers == [wanted.tracking_no] and dispatched.tracking_no not in numbers
