"""The maintained counts agree with the cases, whatever the domain functions do to them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import rollups
from dashboard.choices import Bucket
from dashboard.models import Tally, TallyDelta
from dashboard.snapshot import build_snapshot
from incidents import services
from incidents.choices import CaseStatus, figures_from_counts
from incidents.exceptions import CaseError
from incidents.models import Case
from tests.city import IN_B, jpeg

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def true_figures() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Case.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return figures_from_counts(counts)


ACTIONS = [
    "report",
    "report_b",
    "accept",
    "reject",
    "dispatch",
    "start",
    "return",
    "resolve",
    "approve",
    "reopen",
    "urge",
]


def apply(city, action: str, pick: int, now: datetime) -> None:
    """One step of the property test: the named domain function on the ``pick``-th case."""
    if action == "report":
        city.report(now=now)
        return
    if action == "report_b":
        city.report(point=IN_B, actor=city.worker_b, now=now)
        return
    if action == "self_resolve":
        case = city.report(now=now)
        services.self_resolve_case(city.worker_a, case, photos=[jpeg()], now=now)
        return
    cases = list(Case.objects.order_by("id"))
    if not cases:
        return
    case = cases[pick % len(cases)]
    calls = {
        "accept": lambda: services.accept_case(city.dispatcher, case, now=now),
        "reject": lambda: services.reject_case(city.dispatcher, case, reason="重复", now=now),
        "dispatch": lambda: services.dispatch_case(city.dispatcher, case, department=city.lead, now=now),
        "start": lambda: services.start_case(city.officer_lead, case, now=now),
        "return": lambda: services.return_case(city.officer_lead, case, reason="非本部门", now=now),
        "resolve": lambda: services.resolve_case(city.officer_lead, case, note="已处置", now=now),
        "approve": lambda: services.approve_case(city.dispatcher, case, now=now),
        "reopen": lambda: services.reopen_case(city.dispatcher, case, reason="未整改", now=now),
        "urge": lambda: services.urge_case(city.leader, case, now=now),
    }
    try:
        calls[action]()
    except CaseError:
        pass  # not possible in the case's status: the domain refuses, nothing changes


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from([*ACTIONS, "self_resolve"]), st.integers(0, 30), st.integers(0, 4 * 24 * 60)),
        min_size=1,
        max_size=14,
    ),
    fold_at=st.integers(0, 14),
)
def test_snapshot_figures_equal_the_true_counts_after_any_transitions(city, steps, fold_at):
    with transaction.atomic():
        for index, (action, pick, minutes) in enumerate(sorted(steps, key=lambda step: step[2])):
            if index == fold_at:
                rollups.fold()  # folding half-way changes nothing a reader sees
            apply(city, action, pick, START + timedelta(minutes=minutes))
        now = START + timedelta(days=5)
        snapshot = build_snapshot(city.leader, now=now)
        assert snapshot["figures"] == true_figures() == services.summary(city.leader)
        assert rollups.check() == []
        # The day series add up to what happened.
        assert sum(snapshot["daily"]["reported"]) == Case.objects.count()
        assert snapshot["today"]["overdue"] == Case.objects.overdue(now).count()
        transaction.set_rollback(True)


def test_a_tampered_count_is_found_and_repaired(city):
    city.case_in(CaseStatus.IN_PROGRESS)
    city.case_in(CaseStatus.CLOSED)
    assert rollups.check() == []
    rollups.fold()
    Tally.objects.filter(bucket=Bucket.STATUS, code=CaseStatus.CLOSED).update(n=7)
    differences = rollups.check()
    assert [(d.key, d.maintained, d.truth) for d in differences] == [
        ((Bucket.STATUS.value, None, 0, CaseStatus.CLOSED.value), 7, 1)
    ]
    assert rollups.repair() == differences
    assert rollups.check() == []
    assert not TallyDelta.objects.exists()


def test_changes_made_outside_the_domain_are_counted_too(city):
    """The triggers see every statement: a bulk SQL insert and a bulk update as well."""
    case = city.report()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO incidents_case (tracking_no, source, subcategory_id, description, location, address, grid_id,
                reporter_name, reporter_phone, urgency, status, time_limit_unit, deadline_provisional, return_count,
                rework_count, urge_count, satisfaction, reject_reason, created_at, updated_at)
            SELECT 'BULK-' || i, source, subcategory_id, description, location, address, grid_id, '', '', urgency,
                   'closed', '', false, 0, 0, 0, '', '', created_at - i * interval '1 day', updated_at
            FROM incidents_case, generate_series(1, 50) AS i WHERE id = %s
            """,
            [case.pk],
        )
    assert rollups.check() == []
    Case.objects.filter(tracking_no__startswith="BULK-").update(status=CaseStatus.REJECTED)
    assert rollups.check() == []
    assert build_snapshot(city.leader)["figures"]["received"] == 51


def test_days_are_local_days(city):
    """A report at 23:30 UTC is on the next day in Jishou."""
    late_evening_utc = datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    city.report(now=late_evening_utc)
    snapshot = build_snapshot(city.leader, now=late_evening_utc + timedelta(hours=1))
    assert snapshot["daily"]["days"][-1] == "2026-03-02"
    assert snapshot["daily"]["reported"][-1] == 1
    assert snapshot["today"]["reported"] == 1
    assert rollups.check() == []


def test_folding_keeps_every_count(city):
    city.case_in(CaseStatus.RESOLVED)
    city.case_in(CaseStatus.RETURNED)
    before = rollups.maintained()
    assert TallyDelta.objects.exists()
    assert rollups.fold() > 0
    assert not TallyDelta.objects.exists()
    assert rollups.maintained() == before
    assert rollups.fold() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_never_wait_on_a_shared_counter(city):
    """Two transactions that change the same counts both proceed: the triggers only append."""
    import threading

    started = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def slow_reporter():
        try:
            with transaction.atomic():
                city.report(now=START)  # another day than below: tracking numbers are counted per day
                started.set()
                release.wait(10)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_reporter)
    thread.start()
    assert started.wait(10)
    # The other transaction is open and has counted its report; this one is not held up.
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            city.report()
            city.case_in(CaseStatus.DISPATCHED)
    finally:
        release.set()
    thread.join(10)
    assert not errors
    assert rollups.check() == []
    assert true_figures()["received"] == 3
