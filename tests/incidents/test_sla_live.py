"""What the sweep pushes after commit: the wall screen hears overdue and escalated cases (up
to SLA_LIVE_EVENTS_MAX a run), each person one message per batch."""

from __future__ import annotations

from datetime import datetime

from gridcenter.realtime import WALLSCREEN_GROUP, department_group, user_group
from incidents import services
from incidents.services.sweep import sweep
from tests.city import TZ
from tests.realtime import listening

FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
LATE = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)


def dispatched(city, count: int) -> list:
    return [
        services.dispatch_case(city.dispatcher, city.report(), department=city.lead, now=FRIDAY_16)
        for _ in range(count)
    ]


def test_the_wall_screen_hears_the_overdue_and_escalated_steps(city, django_capture_on_commit_callbacks):
    cases = dispatched(city, 2)
    # A channel per group (the layer sends a channel in several groups one copy).
    with listening(WALLSCREEN_GROUP) as wall, listening(department_group(city.lead.pk)) as department:
        with django_capture_on_commit_callbacks(execute=True):
            sweep(now=LATE)
        events = [event for drain in (wall, department) for event in drain() if event["type"].startswith("case.sla_")]
    # Each group hears each case's two steps.
    assert sorted((e["type"], e["data"]["case"]) for e in events) == sorted(
        [(kind, case.pk) for case in cases for kind in ("case.sla_overdue", "case.sla_escalated")] * 2
    )
    payload = events[0]["data"]
    assert payload["status"] == "dispatched" and payload["lead_department"] == city.lead.pk and payload["actor"] is None
    assert payload["reporter"] == city.worker_a.pk  # the phone toasts only its own reports' news


def test_a_burst_pushes_at_most_the_configured_number_of_case_events(
    city, settings, django_capture_on_commit_callbacks
):
    settings.SLA_LIVE_EVENTS_MAX = 3
    dispatched(city, 4)  # 8 steps due
    with listening(WALLSCREEN_GROUP) as drain:
        with django_capture_on_commit_callbacks(execute=True):
            result = sweep(now=LATE)
        events = [event for event in drain() if event["type"].startswith("case.sla_")]
    assert result.steps == {"overdue": 4, "escalated": 4} and len(events) == 3


def test_each_person_gets_one_message_per_batch(city, django_capture_on_commit_callbacks):
    dispatched(city, 3)
    with listening(user_group(city.officer_lead.pk), user_group(city.head_lead.pk)) as drain:
        with django_capture_on_commit_callbacks(execute=True):
            sweep(now=LATE)
        messages = [event for event in drain() if event["type"] == "notification"]
    # The head is told of 3 overdue cases; the leader of 3 escalations; the officer of nothing.
    assert len(messages) == 1
    assert messages[0]["data"]["new"] == 3 and messages[0]["data"]["unread"] == 3
    assert messages[0]["data"]["latest"]["kind"] == "sla_overdue"
