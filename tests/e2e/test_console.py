"""In Chromium: a dispatcher accepts and dispatches a report; an officer resolves it in the workbench."""

from __future__ import annotations

import pytest

from gridcenter.realtime import muted
from incidents.choices import CaseAction, CaseStatus
from incidents.models import Case
from tests.city import jpeg
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache", "media_root"),
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state()


def test_dispatch_in_the_console_and_resolve_in_the_workbench(live_server, page, city, screenshot, tmp_path):
    with muted():  # this thread runs Playwright's event loop: no publishing from it
        report = city.report(description="幸福路口垃圾桶满溢，垃圾散落一地", photos=[jpeg((640, 480), "olive")])
    dispatch_from_the_queue(live_server, page, city, screenshot, report)
    resolve_in_the_workbench(live_server, page, city, screenshot, tmp_path, report)

    # Back in the console, the case waits for review with the result's photo.
    sign_in(page, live_server, city.dispatcher.username)
    page.goto(f"{live_server.url}/console/review/")
    review_card = page.locator(f"article[data-case='{report.pk}']")
    assert "已清运完毕" in review_card.inner_text()
    screenshot(page, "console-review")


def dispatch_from_the_queue(live_server, page, city, screenshot, report) -> None:
    # The dispatcher's queue: the new report with its photo and a map.
    sign_in(page, live_server, city.dispatcher.username)
    assert page.url == f"{live_server.url}/console/"
    card = page.locator(f"article[data-case='{report.pk}']")
    assert "幸福路口" in card.inner_text()
    assert card.locator("img").count() == 1
    page.wait_for_selector("#queuemap path.leaflet-interactive")  # the report's marker on the map
    screenshot(page, "console-queue")

    # One screen: the sub-item's lead department is suggested; add an assisting one and a note.
    card.locator("a.action-button").click()
    page.wait_for_load_state()
    form = page.locator("form[data-action='dispatch']")
    assert form.locator("select[name='dispatch-department']").input_value() == str(city.lead.pk)
    form.locator(f"input[name='dispatch-assisting'][value='{city.assisting.pk}']").check()
    form.locator("textarea[name='dispatch-note']").fill("请尽快清运")
    screenshot(page, "console-case-dispatch")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/console/"  # back to the queue for the next report
    assert report.tracking_no in page.locator(".messages:not(.calendar-warning)").inner_text()
    report.refresh_from_db()
    assert report.status == CaseStatus.DISPATCHED and report.lead_department == city.lead
    assert list(report.assisting_departments.all()) == [city.assisting]
    sign_out(page)


def resolve_in_the_workbench(live_server, page, city, screenshot, tmp_path, report) -> None:
    # The officer's inbox, by deadline with the time left.
    sign_in(page, live_server, city.officer_lead.username)
    assert page.url == f"{live_server.url}/workbench/"
    row = page.locator("table.inbox tr", has_text=report.tracking_no)
    assert row.count() == 1 and row.locator(".pill").count() >= 1
    screenshot(page, "workbench-inbox")

    row.locator("a").first.click()
    page.wait_for_load_state()
    page.locator("form[data-action='start'] button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=report.pk).status == CaseStatus.IN_PROGRESS

    # Resolve with a note and a photo of the result.
    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg((640, 480), "green"))
    assert page.locator("#panel-resolve").get_attribute("open") is not None  # the step to take now is open
    resolve = page.locator("form[data-action='resolve']")
    resolve.locator("textarea[name='resolve-note']").fill("已清运完毕，垃圾桶已更换")
    resolve.locator("input[name='resolve-photos']").set_input_files(str(photo))
    screenshot(page, "workbench-case-resolve")
    resolve.locator("button[type=submit]").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == CaseStatus.RESOLVED
    assert report.events.filter(action=CaseAction.RESOLVE).get().attachments.count() == 1
    assert "已清运完毕" in page.locator(".timeline").inner_text()
    screenshot(page, "workbench-case-resolved")
    sign_out(page)
