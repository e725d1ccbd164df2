"""Who hears a case's events on their own socket (/ws/user/): the people ``visible_to`` lets
see the case, and nobody else (the centre, the case's departments, the workers of its grid)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from gridcenter.asgi import application
from incidents import services
from incidents.models import Case
from incidents.services.events import listening_groups
from tests.gridcenter.test_realtime import session_headers

pytestmark = pytest.mark.django_db(transaction=True)


async def open_page(user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/user/", headers=await sync_to_async(session_headers)(user))
    connected, _code = await communicator.connect(timeout=5)
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator


async def case_events(page: WebsocketCommunicator, wait: float = 0.5) -> list[tuple[str, int]]:
    """The (type, case) of the case events a page received until it has been quiet for ``wait``."""
    heard = []
    while not await page.receive_nothing(timeout=wait):
        event = await page.receive_json_from(timeout=1)
        if event["type"].startswith("case."):
            heard.append((event["type"], event["data"]["case"]))
    return heard


def test_each_person_listens_to_the_groups_of_the_cases_they_may_see(city):
    assert listening_groups(city.dispatcher) == ["centre"]
    assert listening_groups(city.leader) == ["centre"]
    assert listening_groups(city.officer_lead) == [f"dept.{city.lead.pk}"]
    assert listening_groups(city.head_lead) == [f"dept.{city.lead.pk}"]
    assert listening_groups(city.workers["ab"]) == [f"grid.{city.grid_a.pk}", f"grid.{city.grid_b.pk}"]
    assert listening_groups(city.nobody) == []


async def test_an_officer_of_another_department_hears_nothing_of_a_case_they_cannot_see(city):
    people = {
        "dispatcher": city.dispatcher,
        "lead": city.officer_lead,
        "assisting": city.officer_assisting,
        "unrelated": city.officer_unrelated,
        "worker_a": city.worker_a,
        "worker_b": city.worker_b,
    }
    pages = {name: await open_page(user) for name, user in people.items()}

    def report_accept_dispatch():
        case = city.report(actor=city.workers["ab"])  # in grid A, reported by someone else
        case = services.accept_case(city.dispatcher, case)
        return services.dispatch_case(city.dispatcher, case, department=city.lead, assisting=[city.assisting])

    case = await sync_to_async(report_accept_dispatch)()
    heard = {name: await case_events(page) for name, page in pages.items()}
    everything = [("case.report", case.pk), ("case.accept", case.pk), ("case.dispatch", case.pk)]
    assert heard["dispatcher"] == everything
    assert heard["worker_a"] == everything  # the case is in their grid
    assert heard["lead"] == heard["assisting"] == [("case.dispatch", case.pk)]
    assert heard["unrelated"] == [] and heard["worker_b"] == []

    # The rule behind it: whoever heard of the case may see it, whoever may not heard nothing.
    def sees(user) -> bool:
        return Case.objects.visible_to(user).filter(pk=case.pk).exists()

    for name, user in people.items():
        assert await sync_to_async(sees)(user) == bool(heard[name]), name
    for page in pages.values():
        await page.disconnect()
