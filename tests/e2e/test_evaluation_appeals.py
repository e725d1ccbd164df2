"""In Chromium: after November is published, CGJ's head appeals its overdue round from the rounds
page; a leader finds the pending appeal from /evaluation/, upholds it, and reads version 2 of
November (version 1 a click away)."""

from __future__ import annotations

import pytest

from evaluation.services import publishing
from gridcenter.realtime import muted
from tests.e2e.test_console import sign_in, sign_out
from tests.evaluation.conftest import november, november_cases  # noqa: F401 - the month read here
from tests.evaluation.month import NOVEMBER

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache"),
]


@pytest.fixture
def published(request):
    """November 2026 of the test city, published now (its five working days for appeals ahead)."""
    with muted():  # this thread runs Playwright's event loop: the fixtures' steps publish nothing from it
        month = request.getfixturevalue("november")
        publishing.publish(NOVEMBER)
    return month


def test_a_head_appeals_and_a_leader_upholds(live_server, page, published, screenshot):
    sign_in(page, live_server, published.head_lead.username)
    page.goto(f"{live_server.url}/evaluation/2026-11/")
    page.locator("table[data-subject='departments'] td.overdue_open a").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/evaluation/2026-11/departments/CGJ/overdue_open/"
    assert page.locator(".appeal-window").is_visible()

    # Sent without a reason (the browser's own check bypassed): the domain's message, nothing saved.
    page.click("details.appeal summary")
    page.locator("form.appeal-form").evaluate("form => form.noValidate = true")
    page.click("form.appeal-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".appeal-errors").is_visible()
    screenshot(page, "evaluation-appeal-error")

    page.locator("details.appeal").evaluate("details => details.open = true")
    page.fill("form.appeal-form textarea[name=reason]", "施工方原因，已于 11 月 5 日书面报备")
    page.fill("form.appeal-form textarea[name=evidence]", "报备函 城管〔2026〕88 号")
    page.click("form.appeal-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages li.success").is_visible()
    assert page.locator("td.appeal-cell .appeal-pending").is_visible()
    assert page.locator("form.appeal-form").count() == 0
    screenshot(page, "evaluation-appeal-sent")
    sign_out(page)

    sign_in(page, live_server, published.leader.username)
    page.goto(f"{live_server.url}/evaluation/")
    link = page.locator("#appeals-link")
    assert "1" in link.locator(".pending-count").inner_text()
    link.click()
    page.wait_for_load_state()
    card = page.locator(".appeal-card[data-state='pending']")
    assert "施工方原因" in card.inner_text() and "报备函" in card.inner_text()
    screenshot(page, "evaluation-appeals-pending")

    card.locator("textarea[name=note]").fill("报备属实，剔除该超期项")
    card.locator("button[value=uphold]").click()
    page.wait_for_load_state()
    upheld = page.locator(".appeal-card[data-state='upheld']")
    assert upheld.is_visible() and page.locator(".messages li.success").is_visible()
    screenshot(page, "evaluation-appeal-upheld")

    upheld.locator("a.result-version").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/evaluation/2026-11/?version=2"
    cgj = page.locator("table[data-subject='departments'] tbody tr").first
    assert cgj.locator("td.overdue_open").inner_text() == "0"
    versions = page.locator("table.versions-table tbody tr")
    assert versions.count() == 2 and "报备属实" in versions.first.inner_text()
    screenshot(page, "evaluation-month-version-2")

    page.locator("table.versions-table a", has_text="1").last.click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/evaluation/2026-11/?version=1"
    cgj = page.locator("table[data-subject='departments'] tbody tr").first
    assert cgj.locator("td.overdue_open").inner_text() == "1"


def test_a_leader_adds_a_scheme_version(live_server, page, published, screenshot):
    sign_in(page, live_server, published.leader.username)
    page.goto(f"{live_server.url}/evaluation/")
    page.click("#scheme-link")
    page.wait_for_load_state()
    page.fill("input[name=yellow_from]", "95")
    page.fill("textarea[name=note]", "试行")
    page.click(".scheme-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_yellow_from_error, .field.has-error .field-error").first.is_visible()
    screenshot(page, "evaluation-scheme-error")

    page.fill("input[name=yellow_from]", "75")
    page.click(".scheme-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages li.success").is_visible()
    assert page.locator("#scheme-versions tbody tr").count() == 2
    assert "2026-11" in page.locator("#scheme-versions tr[data-version='1']").inner_text()
    screenshot(page, "evaluation-scheme")
