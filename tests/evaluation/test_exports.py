"""The evaluation's Excel exports: the workbook read back, who may export what, large ones through a real worker."""

from __future__ import annotations

import io
import time
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from evaluation.periods import Period
from evaluation.services import read
from exports.choices import ExportState
from exports.models import Export
from notifications.models import Notification

URL = "/evaluation/2026-11/export/"
RED = "FFF56C6C"
# Every table, in the order of the pages (evaluation.columns.SUBJECT_ORDER).
ALL_TABLES = ["责任单位", "责任人", "网格员", "属地（乡镇街道）", "属地（社区村）", "属地（网格）", "指挥中心"]


def export(client, user, subject="departments", status=200, **extra):
    client.force_login(user)
    response = client.post(URL, {"subject": subject, **extra})
    assert response.status_code == status, response.content[:300]
    return response


def workbook(response):
    content = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(content))


def rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.usefixtures("isolated_cache", "media_root")
class TestTheWorkbook:
    def test_one_table_with_its_rounds(self, november, client):
        response = export(client, november.leader)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
        book = workbook(response)
        assert book.sheetnames == ["责任单位", "指标对应的承办轮次", "说明"]
        sheet = book["责任单位"]
        header = rows(sheet)[0]
        assert header[:6] == ["排名", "编码", "名称", "得分", "等级", "应处置"]
        assert {"超期未处置", "推诿", "平均处置用时（工作小时）", "按期处置率", "满意率"} <= set(header)
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
        cgj = rows(sheet)[1]
        assert cgj[:2] == [1, "CGJ"] and cgj[4] == "需整改"
        assert sheet["D2"].fill.fgColor.rgb == RED and sheet["D2"].number_format == "0.00"
        assert cgj[header.index("应处置")] == 6 and cgj[header.index("按期处置率")] == pytest.approx(4 / 6)
        assert sheet.cell(2, header.index("按期处置率") + 1).number_format == "0.0%"
        idle = next(row for row in rows(sheet) if row[1] == november.unrelated.code)
        assert idle[0] is None and idle[3] == "无案件"

    def test_the_rounds_sheet_lists_every_counted_round(self, november, client):
        book = workbook(export(client, november.leader))
        sheet = book["指标对应的承办轮次"]
        lines = rows(sheet)
        assert lines[0] == ["考核表", "编码", "名称", "指标", "案件编号", "案件 ID", "轮次开始", "处置时限", "处置时间"]
        assert sheet.freeze_panes == "A2"
        counted = Counter(line[3] for line in lines[1:] if line[1] == "CGJ")
        table = dict(zip(rows(book["责任单位"])[0], rows(book["责任单位"])[1], strict=True))
        for label in ("应处置", "处置", "按期处置", "超期处置", "超期未处置", "退回", "推诿", "返工", "督办", "挂账"):
            assert counted[label] == table[label], label
        overdue = next(line for line in lines if line[3] == "超期未处置")
        assert overdue[4].startswith("JS") and overdue[8] is None and overdue[7].hour == 15  # local time, 15:30
        assert dict(rows(book["说明"]))["月份"] == "2026-11"

    def test_every_table_a_leader_reads(self, november, client):
        book = workbook(export(client, november.leader, "all"))
        assert book.sheetnames == [*ALL_TABLES, "指标对应的承办轮次", "说明"]
        assert rows(book["责任人"])[0][:4] == ["排名", "用户名", "名称", "所属部门"]
        tables = {line[0] for line in rows(book["指标对应的承办轮次"])[1:]}
        assert {"责任单位", "责任人", "属地（乡镇街道）"} <= tables  # the kinds with rounds behind

    def test_a_head_exports_only_what_the_head_reads(self, november, client):
        book = workbook(export(client, november.head_lead, "all"))
        assert book.sheetnames == ["责任单位", "责任人", "指标对应的承办轮次", "说明"]
        assert [row[1] for row in rows(book["责任单位"])[1:]] == ["CGJ"]
        assert sorted(row[1] for row in rows(book["责任人"])[1:]) == ["t-head-cgj", "t-officer-cgj"]
        keys = {line[1] for line in rows(book["指标对应的承办轮次"])[1:]}
        assert keys <= {"CGJ", "t-head-cgj", "t-officer-cgj"}

    def test_each_export_is_recorded(self, november, client):
        export(client, november.leader, "townships")
        record = Export.objects.get()
        assert record.requested_by == november.leader and record.kind == "evaluation"
        assert record.state == ExportState.DONE and not record.asynchronous
        assert record.params == {"period": "2026-11", "subjects": ["townships"], "version": None}
        assert record.file.name.startswith("exports/") and record.filename.endswith(".xlsx")
        assert record.rows > 2  # two townships and the rounds behind their figures


@pytest.mark.usefixtures("isolated_cache", "media_root")
@pytest.mark.parametrize(
    ("persona", "subject", "status"),
    [
        ("anonymous", "departments", 302),
        ("nobody", "departments", 403),
        ("worker", "all", 200),  # their own row
        ("worker", "departments", 403),
        ("officer", "departments", 403),
        ("officer", "officers", 200),
        ("head", "townships", 403),
        ("other_head", "departments", 200),
        ("dispatcher", "townships", 200),
        ("admin", "all", 200),
        ("leader", "planets", 404),
    ],
)
def test_who_may_export_what(november, personas, client, persona, subject, status):
    user = personas[persona]
    if user is not None:
        client.force_login(user)
    assert client.post(URL, {"subject": subject}).status_code == status
    assert client.get(URL).status_code in (405, 302, 403)  # exports are asked for with a POST


@pytest.mark.usefixtures("isolated_cache", "media_root")
def test_a_bad_month_is_a_400_page(november, client):
    client.force_login(november.leader)
    response = client.post("/evaluation/2099-01/export/", {"subject": "departments"})
    assert response.status_code == 400 and "这个月份尚未开始。" in response.content.decode()


def test_the_size_counts_table_rows_and_the_rounds_behind_them(november):
    from evaluation.services.export import size

    departments = read.rows(Period(2026, 11), "departments")
    cgj = next(row for row in departments if row["key"] == "CGJ")
    assert size([cgj]) == 1 + sum(cgj[figure] for figure in read.ROUND_FIGURES)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_built_by_the_worker_and_told(november, client, settings, celery_worker_process):
    """Over EVALUATION_EXPORT_SYNC_ROWS the page hands the export to the real Celery worker, shows its
    progress, and the person is notified with the download when it is ready."""
    settings.EVALUATION_EXPORT_SYNC_ROWS = 5
    client.force_login(november.leader)
    response = client.post(URL, {"subject": "all"})
    record = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/{record.pk}/"
    assert record.asynchronous and record.rows > 5
    assert f'data-status-url="/exports/{record.pk}/status/"' in client.get(response["Location"]).content.decode()
    try:
        status = wait_until_finished(client, record.pk)
        assert status["state"] == "done" and status["progress"] == 100, status
        note = Notification.objects.get(recipient=november.leader, kind="export")
        assert note.link == status["download_url"] and "已生成" in note.text
        download = client.get(f"/notifications/{note.pk}/open/", follow=True)  # the notification's link
        assert download.status_code == 200
        assert workbook(download).sheetnames[: len(ALL_TABLES)] == ALL_TABLES
        client.force_login(november.dispatcher)  # someone else's export
        assert client.get(status["download_url"]).status_code == 404
    finally:
        record.refresh_from_db()
        if record.file:
            Path(settings.MEDIA_ROOT, record.file.name).unlink(missing_ok=True)


def wait_until_finished(client, pk: int, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/exports/{pk}/status/").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"export {pk} did not finish: {status}")
