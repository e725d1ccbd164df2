"""Small page faults whose cause is the page's JavaScript or CSS: the phone's location
pin on a high-density screen, and the public finder after a click outside the city."""

from __future__ import annotations

import re

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
