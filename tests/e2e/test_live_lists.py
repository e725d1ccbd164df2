"""The console's queues and the department inbox update themselves, in Chromium against a real
daphne (HTTP and WebSocket) on the test database: a case dispatched from a second page appears
in the department's open inbox within a second and leaves it when another officer takes it;
a report that arrives and is accepted changes the console's counters and lists, no reload."""

from __future__ import annotations

import time

import pytest

from departments.services import appoint
from incidents import services
from incidents.choices import CaseStatus
from tests.e2e.live import elsewhere, open_as

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def count(page, tab: str) -> str:
    return page.locator(f"nav.tabs a:has-text('{tab}') .count").inner_text()


def wait_for_count(page, tab: str, value: str) -> None:
    script = """([tab, value]) => [...document.querySelectorAll("nav.tabs a")].some(
        (a) => a.textContent.includes(tab) && a.querySelector(".count").textContent === value)"""
    page.wait_for_function(script, arg=[tab, value], timeout=1_000)


def test_the_inbox_gains_a_dispatched_case_and_loses_it_when_another_officer_takes_it(
    browser, daphne, city, make_user, screenshot
):
    colleague = make_user("t-officer-cgj-2", last_name="城管二号")
    appoint(colleague, city.lead)
    case = elsewhere(city.case_in, CaseStatus.REGISTERED, description="幸福路口井盖缺失")
    inbox = open_as(browser, daphne, city.officer_lead, "/workbench/")
    assert case.tracking_no not in inbox.locator("table.inbox").inner_text()
    assert count(inbox, "待办") == "0"

    # A second actor: the dispatcher, in a browser of their own, dispatches from the console.
    console = open_as(browser, daphne, city.dispatcher, f"/console/cases/{case.pk}/")
    form = console.locator("form[data-action='dispatch']")
    form.locator("select[name='dispatch-department']").select_option(str(city.lead.pk))
    form.locator("button[type=submit]").click()
    console.wait_for_load_state()
    dispatched = time.monotonic()
    row = inbox.locator("table.inbox tr", has_text=case.tracking_no)
    row.wait_for(timeout=1_000)
    assert time.monotonic() - dispatched < 1.0
    assert count(inbox, "待办") == "1" and "幸福路口" not in row.inner_text()  # a row, not the description
    assert inbox.evaluate("window.notReloaded") is True
    screenshot(inbox, "live-workbench-dispatched")

    # Another officer of the department takes it: it is theirs now, not in this inbox any more.
    elsewhere(services.start_case, colleague, case.pk)
    row.wait_for(state="detached", timeout=1_000)
    assert count(inbox, "待办") == "0" and "暂无案件" in inbox.locator("table.inbox").inner_text()
    assert inbox.evaluate("window.notReloaded") is True
    screenshot(inbox, "live-workbench-taken")
    console.context.close()
    inbox.context.close()


def test_the_console_counters_and_queues_follow_a_report_as_it_arrives_and_is_accepted(
    browser, daphne, city, screenshot
):
    page = open_as(browser, daphne, city.dispatcher, "/console/")
    assert (count(page, "新上报"), count(page, "待派遣")) == ("0", "0")

    report = elsewhere(city.report, description="人民路口路灯不亮")  # a grid worker's report arrives
    card = page.locator(f"article[data-case='{report.pk}']")
    card.wait_for(timeout=1_000)
    assert count(page, "新上报") == "1" and "人民路口路灯不亮" in card.inner_text()
    page.wait_for_selector("#queuemap path.leaflet-interactive", timeout=1_000)  # its marker on the map
    screenshot(page, "live-console-report")

    elsewhere(services.accept_case, city.dispatcher2, report.pk)  # another dispatcher accepts it
    card.wait_for(state="detached", timeout=1_000)
    wait_for_count(page, "待派遣", "1")
    assert (count(page, "新上报"), count(page, "待派遣")) == ("0", "1")
    assert page.locator("#queuemap path.leaflet-interactive").count() == 0
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "live-console-accepted")
    page.context.close()


def test_a_page_keeps_what_the_user_types_while_the_list_refreshes(browser, daphne, city):
    elsewhere(city.case_in, CaseStatus.RESOLVED)
    page = open_as(browser, daphne, city.dispatcher, "/console/review/")
    reason = page.locator("input[name='reopen-reason']").first
    reason.fill("照片不清楚")
    elsewhere(city.case_in, CaseStatus.RESOLVED)  # a second case waits for review
    page.wait_for_timeout(800)
    assert reason.input_value() == "照片不清楚"  # not swapped away while the field has the focus
    page.locator("h1").click()  # the user leaves the field: now the list catches up
    page.locator("article.case-card").nth(1).wait_for(timeout=2_000)
    assert count(page, "核查结案") == "2"
    page.context.close()
