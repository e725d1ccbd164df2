"""The wall screen in Chromium, served by a real daphne (HTTP and WebSocket) on the test
database, with channels-redis: a leader watches, a report made through the domain
function appears on the map and in the figures; after a server drop the page reconnects
and resynchronises."""

from __future__ import annotations

import pytest

from incidents.choices import CaseStatus
from tests.city import IN_B
from tests.e2e.live import elsewhere, signed_in_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wall(browser, daphne, city):
    """A leader's browser at 1920×1080 on the wall screen, and the city it watches."""
    city.case_in(CaseStatus.IN_PROGRESS)
    context = signed_in_context(browser, daphne, city.leader, viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{daphne.url}/dashboard/")
    page.wait_for_selector("body[data-connection=live]", timeout=20_000)
    page.wait_for_function("window.wallScreen.markerCount() === 1", timeout=10_000)
    yield page, city
    context.close()


def figure(page, name: str) -> str:
    return page.locator(f"#figure-{name}").inner_text()


def test_a_new_report_appears_on_the_map_and_in_the_figures(wall, screenshot):
    page, city = wall
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert figure(page, "received") == "1" and figure(page, "in_progress") == "1"
    assert page.locator("#today-reported").inner_text() == "1"

    case = elsewhere(city.report, point=IN_B, actor=city.worker_b)  # the domain function, page open

    page.wait_for_function(f"window.wallScreen.hasMarker({case.pk})", timeout=10_000)
    page.wait_for_function("document.getElementById('figure-received').textContent === '2'", timeout=10_000)
    assert figure(page, "other") == "1"
    assert page.locator("#today-reported").inner_text() == "2"
    assert case.tracking_no in page.locator("#ticker li").first.inner_text()
    assert page.locator(".case-flash").count() == 1
    assert page.locator("#wallmap").get_attribute("data-markers") == "2"
    page.wait_for_timeout(800)  # let the charts and the new marker's flash draw
    screenshot(page, "dashboard-new-report")

    # A click on a ticker line opens the case: details, timeline, nearest cameras.
    page.locator("#ticker li").first.click()
    page.wait_for_selector("#case-panel-body h3")
    assert page.locator("#case-panel-body h3").inner_text() == case.tracking_no
    assert "测试路口" in page.locator("#case-panel").inner_text()
    screenshot(page, "dashboard-case-panel")


def test_the_page_reconnects_after_a_server_drop_and_resynchronises(wall, daphne):
    page, city = wall
    daphne.stop()
    page.wait_for_selector("body[data-connection=reconnecting]", timeout=10_000)
    # Missed while the server is down: only a fresh snapshot can show these.
    elsewhere(city.case_in, CaseStatus.CLOSED)
    elsewhere(city.report)
    daphne.start()
    page.wait_for_selector("body[data-connection=live]", timeout=30_000)
    # The page says that it was redrawn from a fresh snapshot after the drop, and when.
    assert "重连后已重新同步" in page.locator("#connection").inner_text()
    assert page.locator("body").get_attribute("data-resynced-at")
    page.wait_for_function("document.getElementById('figure-received').textContent === '3'", timeout=10_000)
    assert figure(page, "closed") == "1"
    assert page.locator("#today-closed").inner_text() == "1"
    assert page.evaluate("window.wallScreen.markerCount()") == 2
