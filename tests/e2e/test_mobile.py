"""The grid worker's phone, in a phone-sized headless Chromium with an emulated GPS.

A worker signs in, reports a problem with a photo and the phone's position, loses the
signal, reports again (and solves it on the spot), gets the signal back and sees both
reports sent, each exactly once. A second test records a patrol's track. Screenshots of
the key pages go to test-artifacts/.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from PIL import Image

from incidents.choices import CaseStatus
from incidents.models import Attachment, Case
from patrols.choices import DirectiveTarget, PatrolStatus
from patrols.models import DiaryEntry, DirectiveRecipient, Patrol
from patrols.services import send_directive
from tests.city import IN_A
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_cache", "media_root"),
]

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "geolocation": {"latitude": IN_A[0], "longitude": IN_A[1], "accuracy": 12},
    "permissions": ["geolocation"],
}


def photo_file(colour: str) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "JPEG", quality=90)
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    # No tile server answers in the test: the map still draws the worker's grids.
    context.route(re.compile(r"^https?://[^/]*tile[^/]*/"), lambda route: route.abort())
    yield context
    context.close()


def sign_in(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}{next_path}")


def controlled_by_the_service_worker(page) -> None:
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def wait_until_sent(page) -> None:
    page.wait_for_selector("#m-outbox", state="hidden", timeout=20_000)


def test_a_worker_reports_online_and_offline_and_each_report_arrives_once(live_server, phone, city, screenshot):
    page = phone.new_page()
    base = live_server.url
    sign_in(page, base, city.workers["a"].username, "/m/report/")
    page.wait_for_function("window.mReady === true")
    controlled_by_the_service_worker(page)
    page.wait_for_function("window.mReady === true")

    # --- online: photo, GPS position, sub-item by its Chinese name, description ---------------
    page.wait_for_function("document.getElementById('coords').textContent.indexOf('28.25500') === 0")
    page.wait_for_selector("#grid-name:has-text('一社区A网格')")
    page.set_input_files("#photo-pick", files=[photo_file("orange")])
    page.fill("#search", "垃圾")
    page.click("#results .chip:text-is('暴露垃圾')")
    assert page.locator("#chosen").inner_text().startswith("0101")
    page.fill("#description", "菜市场门口有暴露垃圾")
    page.wait_for_selector(".leaflet-marker-icon")
    screenshot(page, "m-report-filled")
    page.click("#send")
    page.wait_for_selector("#done:not([hidden])")
    wait_until_sent(page)
    first = Case.objects.get()
    assert first.reporter == city.workers["a"] and first.grid == city.grids["A"]
    assert (round(first.lat, 5), round(first.lng, 5)) == IN_A
    assert Attachment.objects.filter(case=first).count() == 1

    # --- no signal: the page comes from the phone, the report waits in the outbox -------------
    phone.set_offline(True)
    page.goto(f"{base}/m/report/")
    page.wait_for_function("window.mReady === true")
    page.wait_for_selector("#m-offline:not([hidden])")
    page.click("#recent .chip:text-is('暴露垃圾')")  # no search without signal: a recent one
    page.set_input_files("#photo-camera", files=[photo_file("gray")])
    page.fill("#description", "河边堆放建筑垃圾，已清理")
    page.check("#solved")
    page.set_input_files("#after-photo", files=[photo_file("green")])
    page.click("#send")
    page.wait_for_selector("#m-outbox:not([hidden])")
    assert "待发送 2 条" in page.locator("#m-outbox").inner_text()  # the report and "solved on the spot"
    screenshot(page, "m-report-offline-waiting")
    assert Case.objects.count() == 1

    # --- the signal returns: everything goes, once ------------------------------------------------
    phone.set_offline(False)
    wait_until_sent(page)
    assert Case.objects.count() == 2
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.status == CaseStatus.RESOLVED  # solved on the spot, after the report itself
    assert second.client_uuid != first.client_uuid
    assert Attachment.objects.filter(case=second).count() == 2

    page.goto(f"{base}/m/reports/")
    assert page.locator(".m-list li").count() == 2
    screenshot(page, "m-my-reports")
    page.click(f"a[href='/m/cases/{second.pk}/']")
    page.wait_for_selector(".m-timeline li")
    assert page.locator(".m-timeline li").count() == 2
    screenshot(page, "m-case")
    assert Case.objects.count() == 2


def test_a_patrol_records_the_track_and_stops(live_server, phone, city, screenshot):
    page = phone.new_page()
    # The page's clock is ours: the recorder keeps one fix per 5 s, and the test moves time on
    # by 5.2 s instead of waiting for it (under the 30 s after which the buffer is sent).
    page.clock.install()
    base = live_server.url
    sign_in(page, base, city.workers["a"].username, "/m/patrol/")
    page.wait_for_function("window.mReady === true")
    page.click("#start")
    page.wait_for_selector("#patrol-on:not([hidden])")
    page.wait_for_function("window.M.patrol.waiting() === 1")  # the first fix, at the start
    lat, lng = IN_A
    for step in range(1, 4):
        # A fix is stamped with the GPS time (position.timestamp), which the page clock does not
        # move: let 0.6 s of real time pass, so a 20 m step is walking pace for the server's
        # speed filter (MAX_SPEED_MPS), not a GPS jump.
        time.sleep(0.6)
        page.clock.fast_forward(5200)
        phone.set_geolocation({"latitude": lat, "longitude": lng + 0.0002 * step, "accuracy": 10})
        page.wait_for_function(f"window.M.patrol.waiting() === {step + 1}")
    screenshot(page, "m-patrol-on")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#stop")
    page.wait_for_selector("#patrol-off:not([hidden])")
    wait_until_sent(page)
    patrol = Patrol.objects.get()
    assert patrol.status == PatrolStatus.FINISHED
    assert patrol.point_count == 4  # the start, then one fix per 5 s step
    assert patrol.distance_m > 40
    assert list(patrol.points.values_list("seq", flat=True)) == list(range(patrol.point_count))


def test_directive_diary_and_errand_pages_work_and_are_photographed(live_server, phone, city, dispatcher, screenshot):
    directive = send_directive(
        dispatcher,
        text="暴雨红色预警：请立即排查辖区地质灾害隐患点，并回复排查情况。",
        urgency="urgent",
        target=DirectiveTarget.ALL,
    )
    city.report(city.workers["a"], description="路灯不亮")
    page = phone.new_page()
    base = live_server.url
    sign_in(page, base, city.workers["a"].username, "/m/")
    assert "我的网格" in page.locator("h1").inner_text()
    assert page.locator(".who").inner_text() == "张甲"
    assert page.locator("#m-unread").inner_text() == "1"
    screenshot(page, "m-home")

    # Opening a directive marks it read; the reply goes through the outbox.
    page.click("a[href^='/m/directives/']:has-text('暴雨红色预警')")
    page.wait_for_selector("#reply-text")
    screenshot(page, "m-directive")
    page.fill("#reply-text", "已排查 3 处隐患点，无异常")
    page.click("button:has-text('发送回复')")
    page.wait_for_url(f"{base}/m/directives/")
    receipt = DirectiveRecipient.objects.get(directive=directive, worker=city.workers["a"])
    assert receipt.read_at is not None and receipt.reply == "已排查 3 处隐患点，无异常"

    # A diary entry with a type, a place from the GPS, and a photo.
    page.goto(f"{base}/m/diary/new/")
    page.click("label.chip:has-text('走访')")
    page.click("[data-locate=d]")
    page.wait_for_function("document.getElementById('d-place').value.length > 0")
    page.fill("#d-content", "走访独居老人，身体尚好")
    page.fill("#d-households", "3")
    page.set_input_files("#d-photos", files=[photo_file("blue")])
    screenshot(page, "m-diary-new")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"{base}/m/diary/")
    page.wait_for_selector("#m-outbox", state="hidden", timeout=20_000)
    entry = DiaryEntry.objects.get()
    assert (entry.type, entry.households_visited, entry.on_behalf) == ("visit", 3, False)
    assert entry.location is not None and entry.photos.count() == 1
    page.reload()
    screenshot(page, "m-diary")

    page.goto(f"{base}/m/errands/new/")
    page.click("[data-errand-kind='subsistence']")
    assert page.locator("#errand-sub").input_value() == "6302"
    screenshot(page, "m-errand-new")
