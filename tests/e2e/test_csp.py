"""The pages under the Content-Security-Policy, in Chromium against daphne (HTTP and the live
sockets): each key page of each role loads with no violation reported and works (its map
draws, with tiles from the tile server the policy names; the wall screen's socket goes
live; the admin's map widget and Swagger UI start). A script injected into a page is
refused and reported to /csp-report/. Screenshots go to /tmp/csp-*.png."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from incidents.choices import CaseStatus
from tests.city import IN_A
from tests.servers import Daphne

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Every violation the page sees, whatever reports it: the event, the console, the report.
WATCH = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.cspViolations.push([event.effectiveDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" "));
});
"""


INJECT = "(html) => { const box = document.createElement('div'); box.innerHTML = html; document.body.append(box); }"
INJECT_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = 3";
  document.body.append(script);
}"""


def tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), "#cfe3c8").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def server(transactional_db):
    daphne = Daphne()
    try:
        daphne.start()
        yield daphne
    finally:
        daphne.close()


class Browsing:
    """A signed-in (or anonymous) browser context on the server, collecting violations."""

    def __init__(self, browser, server, user=None, **context_options) -> None:
        self.base = server.url
        self.context = browser.new_context(locale="zh-CN", **context_options)
        self.context.add_init_script(WATCH)
        png = tile()
        # The tile server answers with a plain tile (no network here): if the policy refused the
        # host, the browser would not even ask, and no tile would load.
        self.context.route(
            re.compile(r"^https?://[^/]*tile[^/]*/"), lambda route: route.fulfill(body=png, content_type="image/png")
        )
        self.console: list[str] = []
        self.reports: list[str] = []
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            self.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base}])

    def open(self, path: str, ready: str, name: str):
        page = self.context.new_page()
        page.on(
            "console",
            lambda message: self.console.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.on(
            "request",
            lambda request: self.reports.append(request.post_data or "") if "/csp-report/" in request.url else None,
        )
        response = page.goto(f"{self.base}{path}")
        assert response is not None and response.ok, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_timeout(500)  # late scripts, tiles and reports
        page.screenshot(path=f"/tmp/csp-{name}.png", full_page=True)
        assert page.evaluate("window.cspViolations") == [], path
        assert self.console == [] and self.reports == [], path
        return page

    def close(self) -> None:
        self.context.close()


def test_the_wall_screen_draws_its_map_and_goes_live(browser, server, city):
    city.case_in(CaseStatus.IN_PROGRESS)
    wall = Browsing(browser, server, city.leader, viewport={"width": 1920, "height": 1080})
    page = wall.open("/dashboard/", "body[data-connection=live]", "wallscreen")
    page.wait_for_selector("#wallmap .leaflet-tile-loaded")
    page.wait_for_function("window.wallScreen.markerCount() === 1")
    assert page.locator("#wallmap path").count() >= 1  # the townships and grids
    wall.close()


def test_the_desk_pages_work_and_an_injected_script_is_refused_and_reported(browser, server, city):
    case = city.case_in(CaseStatus.DISPATCHED)
    desk = Browsing(browser, server, city.dispatcher, viewport={"width": 1280, "height": 900})
    desk.open("/console/", "main.content", "console")
    page = desk.open(f"/console/cases/{case.pk}/", "#casemap .leaflet-tile-loaded", "console-case")
    assert page.locator("#casemap path.leaflet-interactive").count() >= 2  # the case and the camera

    page.evaluate(INJECT, "<script>window.injected = 1</script>")  # innerHTML never runs a <script>: not even tried
    page.evaluate(INJECT_SCRIPT)
    with page.expect_request(lambda request: "/csp-report/" in request.url) as sent:
        page.evaluate(INJECT, '<img src="/static/favicon.svg" onload="window.injected = 2">')
    assert page.evaluate("window.injected") is None
    assert "script-src" in (sent.value.post_data or "") and sent.value.response().status == 204
    assert len(page.evaluate("window.cspViolations")) == 2
    desk.close()

    officer = Browsing(browser, server, city.officer_lead)
    officer.open(f"/workbench/cases/{case.pk}/", "#casemap .leaflet-tile-loaded", "workbench-case")
    officer.close()
    leader = Browsing(browser, server, city.leader)
    leader.open("/evaluation/", "main.content", "evaluation")
    leader.close()


def test_the_admin_and_the_api_docs_work(browser, server, city):
    admin = Browsing(browser, server, city.admin, viewport={"width": 1280, "height": 900})
    admin.open("/admin/", "#content-main", "admin")
    case = city.case_in(CaseStatus.REPORTED)
    admin.open("/admin/incidents/case/", "#result_list", "admin-cases")
    page = admin.open("/admin/grids/grid/", "#result_list", "admin-grids")
    page.locator("#result_list input.action-select").first.check()  # the admin's actions script runs
    assert page.locator("#result_list tr.selected").count() == 1
    admin.open(f"/admin/incidents/case/{case.pk}/change/", "#content-main form", "admin-case")
    page = admin.open(
        f"/admin/grids/grid/{city.grid_a.pk}/change/", ".leaflet-container path.leaflet-interactive", "admin-grid"
    )
    assert page.locator(".leaflet-draw").count() == 1  # the widget's editing tools started
    page = admin.open("/api/docs/", ".swagger-ui .opblock", "api-docs")
    assert "gridcenter API" in page.locator(".swagger-ui .info .title").inner_text()
    admin.close()

    anonymous = Browsing(browser, server)
    anonymous.open("/accounts/login/", "input[name=username]", "login")
    anonymous.open("/find/", "#findmap .leaflet-tile-loaded", "find")
    anonymous.close()


def test_the_phone_pages_work(browser, server, city):
    city.case_in(CaseStatus.IN_PROGRESS)
    phone = Browsing(
        browser,
        server,
        city.worker_a,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": IN_A[0], "longitude": IN_A[1], "accuracy": 12},
        permissions=["geolocation"],
    )
    phone.open("/m/", "nav.m-tabs", "phone-home")
    page = phone.open("/m/report/", "#report-map .leaflet-tile-loaded", "phone-report")
    page.wait_for_function("window.mReady === true")
    phone.open("/m/patrol/", "#patrol-map .leaflet-tile-loaded", "phone-patrol")
    page = phone.open("/m/reports/", ".m-pill", "phone-reports")
    assert page.locator(".m-pill").first.evaluate("pill => pill.style.backgroundColor")  # the status's colour
    phone.close()
