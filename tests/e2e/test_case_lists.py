"""In Chromium: a dispatcher moves through a queue with the keyboard, ticks cases and accepts them at once."""

from __future__ import annotations

import pytest

from gridcenter.realtime import muted
from incidents.choices import CaseStatus
from incidents.models import Case
from tests.e2e.test_console import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache", "media_root"),
]


def test_keyboard_ticks_and_bulk_accept(live_server, page, city):
    with muted():
        reports = [city.report(description=f"幸福路第{i}段路灯不亮") for i in range(3)]
    sign_in(page, live_server, city.dispatcher.username)
    page.goto(f"{live_server.url}/console/")
    rows = page.locator("[data-keys-list] [data-row]")
    assert rows.count() == 3

    # "?" shows the help, in Chinese.
    page.keyboard.press("?")
    help_panel = page.locator("#keys-help")
    assert help_panel.is_visible() and "下一件" in help_panel.inner_text()
    page.screenshot(path="/tmp/lists-keys-help.png", full_page=True)
    page.keyboard.press("Escape")
    assert not help_panel.is_visible()

    # j moves down, x ticks, k moves up; the count follows.
    page.keyboard.press("j")
    assert "focused" in (rows.nth(0).get_attribute("class") or "")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("k")
    assert "focused" in (rows.nth(1).get_attribute("class") or "")
    assert page.locator("[data-bulk-count]").inner_text() == "2"
    page.screenshot(path="/tmp/lists-queue-ticked.png", full_page=True)

    # Enter opens the focused case; back, "a" opens its accept form.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/console/cases/{reports[1].pk}/**")
    page.go_back()
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_url(f"**/console/cases/{reports[0].pk}/**#panel-accept")
    assert page.locator("#panel-accept").get_attribute("open") is not None
    page.go_back()

    # Tick two with the keyboard and accept them at once: one result per case.
    page.reload()
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.click("button[name=action][value=accept]")
    page.wait_for_url("**/console/bulk/")
    assert page.locator("table.bulk-outcomes tr.ok").count() == 2
    page.screenshot(path="/tmp/lists-bulk-result.png", full_page=True)
    statuses = dict(Case.objects.filter(pk__in=[r.pk for r in reports]).values_list("pk", "status"))
    assert sorted(statuses.values()).count(CaseStatus.REGISTERED) == 2


def test_the_case_list_sorts_by_its_headers_and_narrows_sub_items(live_server, page, city):
    with muted():
        cases = [city.report(description=f"井盖缺失{i}") for i in range(2)]
    sign_in(page, live_server, city.dispatcher.username)
    page.goto(f"{live_server.url}/console/cases/?q=井盖")
    page.click("th a.sort[data-sort=tracking_no]")
    page.wait_for_url("**ordering=tracking_no**")
    first = page.locator("table.cases tbody tr").first.inner_text()
    assert cases[0].tracking_no in first
    page.click("th a.sort[data-sort=tracking_no]")
    page.wait_for_url("**ordering=-tracking_no**")
    assert cases[1].tracking_no in page.locator("table.cases tbody tr").first.inner_text()
    page.select_option("select[name=major]", "01")
    hidden = page.eval_on_selector_all(
        "select[name=subcategory] option[data-major]",
        "os => os.filter(o => o.hidden && o.dataset.major === '01').length",
    )
    assert hidden == 0
    assert page.eval_on_selector_all("select[name=subcategory] option[data-major]:not([hidden])", "os => os.length") > 0
    page.screenshot(path="/tmp/lists-search.png", full_page=True)


def test_an_officer_takes_two_cases_from_the_inbox_with_the_keyboard(live_server, page, city):
    with muted():
        cases = [city.case_in(CaseStatus.DISPATCHED, description=f"人行道破损{i}") for i in range(2)]
    sign_in(page, live_server, city.officer_lead.username)
    page.goto(f"{live_server.url}/workbench/")
    assert page.locator("[data-keys-list] [data-row]").count() == 2
    for key in ("j", "x", "j", "x"):
        page.keyboard.press(key)
    assert page.locator("[data-bulk-count]").inner_text() == "2"
    page.screenshot(path="/tmp/lists-workbench.png", full_page=True)
    page.click("button[name=action][value=start]")
    page.wait_for_url("**/workbench/bulk/")
    assert page.locator("table.bulk-outcomes tr.ok").count() == 2
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)) == {
        CaseStatus.IN_PROGRESS
    }
