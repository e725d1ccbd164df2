"""Races, on real separate database connections: one report sent twice at once, two
dispatchers acting on one case at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from rest_framework.test import APIClient

from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Case, CaseEvent
from tests.city import IN_A

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - handed to the test to assert on
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_one_report_sent_twice_at_once_creates_one_case(city):
    key = uuid.uuid4()

    def send():
        return services.report_case(
            city.worker_a, subcategory="0101", description="同一条", lat=IN_A[0], lng=IN_A[1], client_uuid=key
        )

    for _round in range(3):
        first, second = at_once(send, send)
        assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
        assert first.case.pk == second.case.pk
        assert sorted([first.created, second.created]) == ([False, True] if _round == 0 else [False, False])
    assert Case.objects.filter(client_uuid=key).count() == 1
    assert CaseEvent.objects.filter(case__client_uuid=key).count() == 1


def test_different_reports_at_once_get_consecutive_numbers(city):
    def send():
        return city.report().tracking_no

    numbers = at_once(*[send] * 6)
    assert all(isinstance(number, str) for number in numbers), numbers
    assert sorted(int(number[-4:]) for number in numbers) == list(range(1, 7))


def test_two_dispatchers_accepting_one_case_at_once_one_wins_one_gets_409(city):
    case = city.report()
    clients = []
    for user in (city.dispatcher, city.dispatcher2):
        client = APIClient()
        client.force_authenticate(user)
        clients.append(client)

    def accept(client):
        return lambda: client.post(f"/api/v1/incidents/{case.pk}/accept/", {}, format="json").status_code

    codes = at_once(accept(clients[0]), accept(clients[1]))
    assert sorted(codes) == [200, 409], codes
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_dispatching_and_rejecting_at_once_leaves_one_outcome(city):
    case = city.report()

    def dispatch():
        return services.dispatch_case(city.dispatcher, case.pk).status

    def reject():
        return services.reject_case(city.dispatcher2, case.pk, reason="重复").status

    outcomes = at_once(dispatch, reject)
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, services.InvalidTransition)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    case.refresh_from_db()
    assert case.status == winners[0]
    assert case.events.exclude(action="report").count() == (2 if winners[0] == CaseStatus.DISPATCHED else 1)
