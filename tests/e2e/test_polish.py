"""Small page faults whose cause is the page's JavaScript or CSS: the phone's location
pin on a high-density screen, and the public finder after a click outside the city."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.city import IN_A, OUTSIDE
from tests.e2e.test_mobile import PHONE, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache", "media_root"),
]

# django-leaflet announces each map it draws: keep it where the test can reach it.
KEEP_MAP = "window.addEventListener('map:init', function (e) { window.testMap = e.detail.map; });"


@pytest.fixture
def context(browser):
    context = browser.new_context(**PHONE)
    context.route(re.compile(r"^https?://[^/]*tile[^/]*/"), lambda route: route.abort())
    context.add_init_script(KEEP_MAP)
    yield context
    context.close()


def test_the_phone_location_pin_loads_on_a_high_density_screen(live_server, context, city):
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, live_server.url, city.workers["a"].username, "/m/report/")
    pin = page.wait_for_selector("img.leaflet-marker-icon")
    page.wait_for_function("document.querySelector('img.leaflet-marker-icon').complete")
    src = pin.get_attribute("src") or ""
    assert src.count("leaflet/images") == 1 and src.endswith("marker-icon-2x.png")
    assert pin.evaluate("img => img.naturalWidth") > 0
    assert not [url for url in missing if "leaflet" in url]


def test_a_click_outside_the_city_clears_the_last_grid(live_server, context, city):
    page = context.new_page()
    page.goto(f"{live_server.url}/find/")
    page.wait_for_function("window.testMap !== undefined")
    page.evaluate("([lat, lng]) => window.testMap.fire('click', { latlng: L.latLng(lat, lng) })", list(IN_A))
    page.wait_for_selector("#find-units:visible")
    assert "A网格" in page.locator("#find-grid").inner_text()

    page.evaluate("([lat, lng]) => window.testMap.fire('click', { latlng: L.latLng(lat, lng) })", list(OUTSIDE))
    page.wait_for_selector("#find-status:has-text('不在本市')")
    assert not page.locator("#find-units").is_visible()
    assert not page.locator("#find-workers-title").is_visible()
    assert page.locator("#find-workers li").count() == 0


def test_the_phone_header_is_one_row_and_a_form_error_shows_by_the_send_button(live_server, context, city):
    page = context.new_page()
    sign_in(page, live_server.url, city.workers["a"].username, "/m/report/")
    page.wait_for_function("window.mReady === true")
    bar = page.locator("header.topbar").bounding_box()
    brand = page.locator(".topbar .brand").bounding_box()
    sign_out = page.locator(".topbar-tools form:last-child button").bounding_box()
    assert bar and brand and sign_out
    assert bar["height"] < 56  # one row, not three
    assert abs((brand["y"] + brand["height"] / 2) - (sign_out["y"] + sign_out["height"] / 2)) < 6

    page.fill("#description", "")
    page.click("#send")  # nothing chosen: the first error shows where the worker is looking
    error = page.locator("#form-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "请选择问题类别。"
    top, bottom, height, send_top = page.evaluate(
        "() => { var r = document.getElementById('form-error').getBoundingClientRect();"
        " return [r.top, r.bottom, window.innerHeight, document.getElementById('send').getBoundingClientRect().top]; }"
    )
    assert 0 <= top and bottom <= height  # on screen
    assert 0 <= send_top - bottom < 40  # right above the button


def test_the_outbox_says_why_in_words_and_in_the_citys_time(live_server, browser, city):
    context = browser.new_context(**{**PHONE, "timezone_id": "America/New_York"})  # not the city's zone
    page = context.new_page()
    sign_in(page, live_server.url, city.workers["a"].username, "/m/outbox/")
    page.wait_for_function("window.M !== undefined && typeof M.enqueue === 'function'")
    page.evaluate(
        "M.enqueue({ kind: 'report', url: '/api/v1/incidents/', json: true,"
        " fields: { client_uuid: M.uuid(), description: '' } })"
    )
    failed = page.locator("#outbox-list li.failed .hint")
    failed.wait_for(timeout=15_000)
    text = failed.inner_text()
    city_now = datetime.now(ZoneInfo("Asia/Shanghai"))
    stamps = {(city_now - timedelta(minutes=m)).strftime("%m-%d %H:%M") for m in (0, 1)}
    assert text[:11] in stamps, text
    assert "400" not in text and "{" not in text and "[" not in text
    assert "问题类别：" in text
    context.close()
