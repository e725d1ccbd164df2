"""The permission matrix of the time-limit endpoints: every persona, every status, and for
the statuses a department holds, with nothing waiting, a request waiting, and on hold."""

from __future__ import annotations

import pytest
from django.db import transaction

from incidents import services
from incidents.choices import CaseStatus
from tests.incidents.test_permissions import CENTRE, LEAD, PERSONAS, SEES, client_for

S = CaseStatus
RUNNING = {S.DISPATCHED, S.IN_PROGRESS}
# situation → (status, what waits on the case)
SITUATIONS = {status.value: (status, "") for status in CaseStatus} | {
    f"{status.value}+{extra}": (status, extra) for status in RUNNING for extra in ("extension", "hold", "held")
}
# endpoint → (body, who may, in which situations it is possible)
ENDPOINTS = {
    "extension": ({"reason": "需协调", "extra_amount": "2"}, LEAD, {"dispatched", "in_progress"}),
    "hold": ({"reason": "暂无法处置"}, LEAD, {"dispatched", "in_progress"}),
    "extension/decision": ({"approve": True}, CENTRE, {"dispatched+extension", "in_progress+extension"}),
    "hold/decision": ({"approve": True}, CENTRE, {"dispatched+hold", "in_progress+hold"}),
    "resume": ({}, LEAD | CENTRE, {"dispatched+held", "in_progress+held"}),
}


def expected(persona: str, endpoint: str, situation: str) -> int:
    status, _extra = SITUATIONS[situation]
    if persona == "anonymous":
        return 401
    if status not in SEES[persona]:
        return 404
    _body, who, possible = ENDPOINTS[endpoint]
    if persona not in who:
        return 403
    return 200 if situation in possible else 409


def build(city, situation: str):
    status, extra = SITUATIONS[situation]
    case = city.case_in(status)
    if extra == "extension":
        services.request_extension(city.officer_lead, case, reason="需协调", extra_amount=1)
    elif extra in ("hold", "held"):
        services.request_hold(city.officer_lead, case, reason="暂无法处置")
        if extra == "held":
            services.approve_hold(city.dispatcher, case)
    return case


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_every_time_limit_endpoint_for_every_persona(city, api_as, api_client, situation):
    case = build(city, situation)
    wrong = {}
    for persona in PERSONAS:
        client = client_for(persona, city, api_as, api_client)
        for endpoint, (body, _who, _possible) in ENDPOINTS.items():
            savepoint = transaction.savepoint()
            response = client.post(f"/api/v1/incidents/{case.pk}/{endpoint}/", body, format="json")
            transaction.savepoint_rollback(savepoint)
            want = expected(persona, endpoint, situation)
            if response.status_code != want:
                wrong[persona, endpoint] = (response.status_code, want)
    assert not wrong, f"(persona, endpoint): (got, expected) in situation {situation}: {wrong}"
