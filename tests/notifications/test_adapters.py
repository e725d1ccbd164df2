"""Delivery through the adapters: one interface, failures logged and retried, rows kept."""

from __future__ import annotations

import logging

import pytest

from incidents import services
from notifications import adapters
from notifications.checks import check_adapters
from notifications.models import Notification
from notifications.tasks import deliver, deliver_notifications_task
from tests.notifications import adapters as test_adapters

RECORDING = "tests.notifications.adapters.RecordingAdapter"
BROKEN = "tests.notifications.adapters.BrokenAdapter"


@pytest.fixture
def notes(city) -> list[int]:
    case = services.dispatch_case(city.dispatcher, city.report(), department=city.lead)
    services.urge_case(city.leader, case)  # the officer and the head
    test_adapters.SENT.clear()
    test_adapters.FAIL_IDS.clear()
    return list(Notification.objects.order_by("id").values_list("id", flat=True))


def test_an_adapter_gets_the_notifications_by_id(notes):
    assert deliver(notes, RECORDING) == []
    assert [pk for pk, _name in test_adapters.SENT] == notes
    assert {name for _pk, name in test_adapters.SENT} == {"t-officer-cgj", "t-head-cgj"}


def test_the_default_adapter_writes_to_the_log(notes, caplog):
    with caplog.at_level(logging.INFO, logger="notifications.delivery"):
        assert deliver(notes, "notifications.adapters.LogAdapter") == []
    assert caplog.text.count("notification ") == 3 and "t-head-cgj" in caplog.text


def test_what_failed_is_retried_then_given_up_and_the_rows_stay(notes, settings, caplog):
    settings.NOTIFICATION_DELIVERY_RETRIES = 2
    test_adapters.FAIL_IDS.add(notes[0])
    with caplog.at_level(logging.WARNING, logger="notifications.tasks"):
        deliver_notifications_task.apply(args=[notes, RECORDING])
    # The good ones went at the first try; the bad one was tried three times, then given up.
    assert [pk for pk, _name in test_adapters.SENT] == notes[1:]
    assert caplog.text.count("not delivered; again in") == 2
    assert f"gave up delivering notifications [{notes[0]}]" in caplog.text
    assert Notification.objects.filter(pk__in=notes).count() == 3


def test_a_retry_delivers_what_failed_once(notes, settings):
    settings.NOTIFICATION_DELIVERY_RETRIES = 3

    class Flaky(test_adapters.RecordingAdapter):
        calls = 0

        def send(self, notifications):
            Flaky.calls += 1
            if Flaky.calls == 1:
                raise TimeoutError("gateway busy")
            return super().send(notifications)

    adapters.load_adapter.cache_clear()
    test_adapters.Flaky = Flaky
    try:
        deliver_notifications_task.apply(args=[notes, "tests.notifications.adapters.Flaky"])
    finally:
        del test_adapters.Flaky
        adapters.load_adapter.cache_clear()
    assert Flaky.calls == 2 and sorted(pk for pk, _name in test_adapters.SENT) == notes


def test_an_adapter_that_raises_fails_its_batch_and_is_logged(notes, caplog):
    with caplog.at_level(logging.ERROR, logger="notifications.tasks"):
        assert deliver(notes, BROKEN) == notes
    assert "the SMS gateway does not answer" in caplog.text


@pytest.fixture
def deliveries():
    recorded = test_adapters.Deliveries()
    yield recorded
    recorded.close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_deliveries_go_after_commit_through_every_adapter_in_the_worker(
    city, settings, celery_worker_process, deliveries
):
    """The rows are committed, the tasks queued after the commit, and the test's Celery worker
    (not this process) hands the notifications to each adapter."""
    adapters_used = ["RedisRecordingAdapter", "OtherRedisRecordingAdapter"]
    settings.NOTIFICATION_ADAPTERS = [f"tests.notifications.adapters.{name}" for name in adapters_used]
    case = services.dispatch_case(city.dispatcher, city.report(), department=city.lead)
    ids = sorted(Notification.objects.filter(case=case).values_list("id", flat=True))
    assert ids  # the rows are written, and committed: no test transaction around them

    delivered = deliveries.wait_for(2 * len(ids))

    for name in adapters_used:
        assert sorted(d["id"] for d in delivered if d["adapter"] == name) == ids
    assert {d["recipient"] for d in delivered} == {"t-officer-cgj"}  # the lead department's officer
    assert {d["pid"] for d in delivered} == {celery_worker_process.pid}  # the worker ran the tasks


@pytest.mark.parametrize(
    "path", ["no.such.Adapter", "tests.notifications.adapters.NotAnAdapter", "notifications.adapters"]
)
def test_a_wrong_adapter_setting_is_a_system_check_error(settings, path):
    adapters.load_adapter.cache_clear()
    settings.NOTIFICATION_ADAPTERS = [path]
    errors = check_adapters()
    assert [error.id for error in errors] == ["notifications.E001"]


def test_the_default_setting_passes_the_check():
    assert check_adapters() == []
