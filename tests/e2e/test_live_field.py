"""Field work live, in Chromium against a real daphne on the test database: a second actor acts
(a grid worker's phone, an officer, the dispatcher) and the first page updates within a second,
no reload: the wall screen's workers on patrol, a directive's read receipts, the phone's list of
cases to check on site. And the wall screen reads right from across the room."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from grids.models import Township
from incidents import services
from incidents.choices import CaseStatus
from patrols import services as field
from patrols.choices import DirectiveTarget
from tests.city import IN_A, IN_B, point
from tests.e2e.live import elsewhere, open_as, signed_in_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SECOND = 1_000


def open_wall(browser, daphne, user, **options):
    page = signed_in_context(browser, daphne, user, viewport={"width": 1920, "height": 1080}, **options).new_page()
    page.goto(f"{daphne.url}/dashboard/")
    page.wait_for_selector("body[data-connection=live]", timeout=20_000)
    page.wait_for_function("document.body.dataset.snapshotAt", timeout=10_000)
    page.evaluate("window.notReloaded = true")
    return page


def within_a_second(page, script: str, arg=None) -> float:
    started = time.monotonic()
    page.wait_for_function(script, arg=arg, timeout=SECOND)
    return time.monotonic() - started


@override_settings(PATROL_LIVE_SECONDS=0.2)
def test_the_wall_screen_shows_who_is_on_patrol_where_and_for_how_long(browser, daphne, city, screenshot):
    page = open_wall(browser, daphne, city.leader)
    assert page.locator("#patrol-count").inner_text() == "0"

    patrol = elsewhere(field.start_patrol, city.worker_a).patrol  # the worker's phone starts a patrol
    within_a_second(page, "document.getElementById('patrol-count').textContent === '1'")
    assert "张甲" in page.locator("#list-patrols").inner_text()
    assert "尚无定位" in page.locator("#list-patrols").inner_text()

    now = timezone.now()
    fixes = [point(seq, now - timedelta(seconds=5 - seq), IN_A[0], IN_A[1] + seq * 0.0002) for seq in range(5)]
    elsewhere(field.add_track_points, city.worker_a, patrol.pk, fixes, now=now)  # its first batch of fixes
    within_a_second(page, f"(window.wallScreen.patrolAt({patrol.pk}) || {{}}).onMap === true")
    assert page.evaluate(f"window.wallScreen.patrolAt({patrol.pk}).lng") == round(IN_A[1] + 4 * 0.0002, 5)
    assert "秒前" in page.locator("#list-patrols li").first.inner_text()  # the age of its last point
    page.locator(".switch button[data-mode=coverage]").click()  # today's coverage colours the grids
    page.wait_for_function("/ \\/ 4$/.test(document.getElementById('coverage-figure').textContent)")
    assert "今日巡查覆盖" in page.locator(".switch").inner_text()
    page.wait_for_timeout(300)
    screenshot(page, "live-wall-patrols")

    elsewhere(field.stop_patrol, city.worker_a, patrol.pk)
    within_a_second(page, "document.getElementById('patrol-count').textContent === '0'")
    assert page.evaluate(f"window.wallScreen.patrolAt({patrol.pk})") is None
    assert page.evaluate("window.notReloaded") is True
    page.context.close()


def test_the_wall_screen_reads_in_the_citys_time_and_from_five_metres(browser, daphne, city, screenshot):
    page = open_wall(browser, daphne, city.leader, timezone_id="America/New_York")
    clock = page.locator("#clock").inner_text()
    shanghai = timezone.localtime(timezone.now())
    assert clock[:5] in {f"{shanghai:%H:%M}", f"{shanghai - timedelta(minutes=1):%H:%M}"}  # read just before
    assert settings.TIME_ZONE == "Asia/Shanghai"

    attribution = page.locator(".leaflet-control-attribution")
    assert attribution.inner_text().startswith("Leaflet") and attribution.locator("svg").count() == 0
    assert page.locator("#calendar-warning").count() == 0

    for selector in ("#ticker", "#list-overdue", "#list-patrols"):
        assert page.evaluate(f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)") >= 20
    townships = list(Township.objects.values_list("name", flat=True))
    page.wait_for_function(f"document.querySelectorAll('.township-label').length === {len(townships)}", timeout=10_000)
    chart = page.evaluate(
        """() => echarts.getInstanceByDom(document.getElementById('chart-townships')).getOption().yAxis[0]"""
    )
    assert chart["axisLabel"]["fontSize"] >= 18 and chart["axisLabel"]["interval"] == 0
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.township-label')).fontSize)") >= 18
    screenshot(page, "live-wall-polish")
    page.context.close()


def test_a_directives_receipts_page_follows_the_phones_as_they_read_and_reply(browser, daphne, city, dispatcher):
    directive = elsewhere(
        field.send_directive,
        dispatcher,
        text="今晚暴雨，请巡查低洼路段",
        target=DirectiveTarget.GRID,
        target_ids=[city.grid_a.pk],
    )
    page = open_as(browser, daphne, dispatcher, f"/console/directives/{directive.pk}/")
    assert (page.locator("#count-read").inner_text(), page.locator("#count-replied").inner_text()) == ("0", "0")

    receipt = elsewhere(field.mark_directive_read, city.worker_a, directive.pk)  # a worker's phone opens it
    row = page.locator(f"tr[data-worker='{city.worker_a.pk}']")
    selector = f"tr[data-worker='{city.worker_a.pk}']"
    within_a_second(page, f"!document.querySelector(\"{selector}\").classList.contains('unread')")
    assert page.locator("#count-read").inner_text() == "1"
    assert row.locator(".read-at").inner_text() == f"{timezone.localtime(receipt.read_at):%m-%d %H:%M}"

    elsewhere(field.reply_directive, city.workers["ab"], directive.pk, text="收到，已到现场")
    within_a_second(page, "document.getElementById('count-replied').textContent === '1'")
    assert page.locator("#count-read").inner_text() == "2"
    assert "收到，已到现场" in page.locator(f"tr[data-worker='{city.workers['ab'].pk}'] .reply").inner_text()
    assert page.evaluate("window.notReloaded") is True
    page.context.close()


def test_the_phone_home_gains_a_case_to_check_the_moment_it_is_resolved(browser, daphne, city, screenshot):
    mine = elsewhere(city.case_in, CaseStatus.IN_PROGRESS, point=IN_B, actor=city.worker_b)
    other = elsewhere(city.case_in, CaseStatus.IN_PROGRESS, point=IN_A)
    phone = open_as(browser, daphne, city.worker_b, "/m/", viewport={"width": 390, "height": 844}, is_mobile=True)
    section = phone.locator("#m-to-verify")
    assert mine.tracking_no not in section.inner_text()

    elsewhere(services.resolve_case, city.officer_lead, other.pk, note="已处理")  # another grid: not told
    elsewhere(services.resolve_case, city.officer_lead, mine.pk, note="已清运")  # the centre wants it checked
    within_a_second(phone, f"document.getElementById('m-to-verify').textContent.includes('{mine.tracking_no}')")
    assert other.tracking_no not in phone.locator("#m-to-verify").inner_text()
    screenshot(phone, "live-phone-to-verify")

    elsewhere(services.verify_case, city.worker_b, mine.pk, note="现场已核实")  # checked (here from another phone)
    within_a_second(phone, f"!document.getElementById('m-to-verify').textContent.includes('{mine.tracking_no}')")
    assert phone.evaluate("window.notReloaded") is True
    phone.context.close()
