"""In Chromium: a leader opens the statistics, sees the charts and the heat map drawn, and clicks a
number to land on the console's list of the cases behind it."""

from __future__ import annotations

import re

import pytest

from gridcenter.realtime import muted
from tests.e2e.test_console import sign_in
from tests.stats.conftest import mixed  # noqa: F401 - the cases counted here

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_cache")]


@pytest.fixture(autouse=True)
def quiet():
    """This thread runs Playwright's event loop: the fixtures' case steps publish nothing from it."""
    with muted():
        yield


@pytest.fixture
def cases(request):
    with muted():
        return request.getfixturevalue("mixed")


def test_a_leader_clicks_a_number_and_lands_on_its_cases(live_server, page, city, cases, screenshot):
    sign_in(page, live_server, city.leader.username)
    page.goto(f"{live_server.url}/console/")
    page.click("a[href='/stats/']")
    page.wait_for_load_state()
    page.fill("input#from", "2026-03-01")
    page.fill("input#to", "2026-03-10")
    page.select_option("select#by-first", "township")
    page.click("#stats-filter button[type=submit]")
    page.wait_for_load_state()
    assert "by=township" in page.url
    page.wait_for_selector("#breakdown-chart[data-ready='true'] canvas")  # ECharts, served by the app
    page.wait_for_selector("#hours-chart[data-ready='true'] canvas")
    page.wait_for_selector(".stats-map[data-ready='true'] canvas.leaflet-heatmap-layer")  # leaflet.heat
    page.wait_for_selector(".stats-map path.leaflet-interactive")  # the grid polygons
    screenshot(page, "stats-page")
    page.screenshot(path="/tmp/stats-page.png", full_page=True)
    number = page.locator("#table-breakdown tbody tr").first.locator("a.case-count").first
    expected = int(number.inner_text())
    assert expected == 6  # 测试街道: every case but grid D's
    number.click()
    page.wait_for_load_state()
    assert "/console/cases/?" in page.url and f"township={city.township.code}" in page.url
    listed = set(re.findall(r"JS\d{8}-\d{4}", page.content()))
    assert len(listed) == expected
    page.screenshot(path="/tmp/stats-cases.png", full_page=True)
