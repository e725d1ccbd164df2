"""In Chromium: a leader reads November's evaluation, follows a figure to its rounds and a round to
its case; a large export's page follows its progress to the download."""

from __future__ import annotations

import pytest

from evaluation.periods import Period
from evaluation.services import export as evaluation_export
from exports import services as exports
from exports import tasks
from gridcenter.realtime import muted
from tests.e2e.test_console import sign_in
from tests.evaluation.conftest import november, november_cases  # noqa: F401 - the month read here

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache", "media_root"),
]


@pytest.fixture(autouse=True)
def quiet():
    """This thread runs Playwright's event loop: the fixtures' case steps publish nothing from it."""
    with muted():
        yield


@pytest.fixture
def month(request):
    """November 2026 of the test city (the ``november`` of tests/evaluation/test_departments.py)."""
    return request.getfixturevalue("november")


def test_a_leader_follows_a_figure_to_its_rounds_and_a_case(live_server, page, month, screenshot):
    sign_in(page, live_server, month.leader.username)
    page.goto(f"{live_server.url}/console/")
    page.click("a[href='/evaluation/']")
    page.wait_for_load_state()
    page.select_option("select#period", "2026-11")
    page.click(".month-picker button")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/evaluation/?period=2026-11"
    page.wait_for_selector("#trend-chart[data-ready='true'] canvas")  # ECharts, served by the app
    departments = page.locator("table[data-subject='departments']")
    first = departments.locator("tbody tr").first
    assert first.locator("td.rank").inner_text() == "1" and "CGJ" in first.inner_text()
    score = first.locator("td.score")
    assert score.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(245, 108, 108)"  # red band
    assert page.locator("table[data-subject='officers'] tbody tr").count() >= 4
    assert page.locator("table[data-subject='townships'] tbody tr").count() == 2
    screenshot(page, "evaluation-month")

    first.locator("td.overdue_open a").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/evaluation/2026-11/departments/CGJ/overdue_open/"
    rounds = page.locator("table.rounds tbody tr")
    assert rounds.count() == 1 and "未处置" in rounds.inner_text()
    screenshot(page, "evaluation-rounds")

    tracking_no = rounds.locator("a").inner_text()
    rounds.locator("a").click()
    page.wait_for_load_state()
    assert "/console/cases/" in page.url and tracking_no in page.content()


def test_a_large_exports_page_follows_it_to_the_download(live_server, page, month, settings, screenshot, monkeypatch):
    settings.EVALUATION_EXPORT_SYNC_ROWS = 1
    monkeypatch.setattr(tasks.build_export_task, "delay", lambda export_id: None)  # the test is the worker
    record = evaluation_export.request(month.leader, Period(2026, 11), ["departments"])
    sign_in(page, live_server, month.leader.username)
    page.goto(f"{live_server.url}/exports/{record.pk}/")
    assert page.locator("#export").get_attribute("data-state") == "pending"
    assert page.locator("#export-ready").is_hidden()
    exports.run(record.pk)  # what the worker does
    page.wait_for_selector("#export[data-state='done']", timeout=10_000)
    assert page.locator("#export-percent").inner_text() == "100%"
    screenshot(page, "evaluation-export-ready")
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename.endswith(".xlsx")
