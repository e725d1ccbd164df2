"""The permission matrix: every endpoint, every persona, every status. No case leaks.

The expectations are written out here, independently of ``incidents.services.permissions``:
who may see a case in each status, who may take each step, and from which statuses. For
each status one case is built through the real transitions; every persona then tries
every step, each attempt rolled back to a savepoint so the next one starts from the
same case.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from incidents import services
from incidents.choices import CaseStatus
from tests.city import jpeg

S = CaseStatus
ALL = frozenset(CaseStatus)
DEPARTMENT_HAS_IT = frozenset({S.DISPATCHED, S.IN_PROGRESS, S.RETURNED, S.RESOLVED, S.CLOSED})

PERSONAS = [
    "anonymous",
    "worker_a",  # grid worker of the case's grid, and its reporter
    "worker_b",  # grid worker of another grid
    "officer_lead",
    "head_lead",
    "officer_assisting",
    "officer_unrelated",
    "dispatcher",
    "leader",
    "admin",
    "nobody",  # signed in, no role (a resident)
]

# Who sees a case in which statuses (lead CGJ and assisting GAJ from the dispatch on).
SEES = {
    "anonymous": frozenset(),
    "worker_a": ALL,
    "worker_b": frozenset(),
    "officer_lead": DEPARTMENT_HAS_IT,
    "head_lead": DEPARTMENT_HAS_IT,
    "officer_assisting": DEPARTMENT_HAS_IT,
    "officer_unrelated": frozenset(),
    "dispatcher": ALL,
    "leader": ALL,
    "admin": ALL,
    "nobody": frozenset(),
}

CENTRE = {"dispatcher", "admin"}
LEAD = {"officer_lead", "head_lead"}
# action → (who may take it, from which statuses)
STEPS = {
    "accept": (CENTRE, {S.REPORTED}),
    "reject": (CENTRE, {S.REPORTED, S.REGISTERED, S.RETURNED}),
    "dispatch": (CENTRE, {S.REPORTED, S.REGISTERED, S.RETURNED}),
    "assign": (CENTRE | {"head_lead"}, {S.DISPATCHED, S.IN_PROGRESS}),
    "start": (LEAD, {S.DISPATCHED}),
    "return": (LEAD, {S.DISPATCHED, S.IN_PROGRESS}),
    "resolve": (LEAD, {S.IN_PROGRESS}),
    "self-resolve": ({"worker_a"}, {S.REPORTED}),
    "approve": (CENTRE, {S.RESOLVED}),
    "reopen": (CENTRE, {S.RESOLVED}),
    "verify": ({"worker_a"}, {S.RESOLVED}),
    "urge": (CENTRE | {"leader"}, set(CaseStatus.ACTIVE)),
    "note": (
        {"worker_a", "officer_lead", "head_lead", "officer_assisting", "dispatcher", "leader", "admin"},
        set(ALL),
    ),
}


def step_input(action: str, city) -> tuple[dict, str]:
    photo = SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")
    inputs: dict[str, tuple[dict[str, Any], str]] = {
        "reject": ({"reason": "重复上报"}, "json"),
        "dispatch": ({"department": "CGJ", "assisting": ["GAJ"]}, "json"),
        "assign": ({"officer": city.officer_lead.pk}, "json"),
        "return": ({"reason": "不属于本部门"}, "json"),
        "resolve": ({"note": "已处理"}, "json"),
        "self-resolve": ({"photos": [photo]}, "multipart"),
        "reopen": ({"reason": "未处理干净"}, "json"),
        "urge": ({"note": "请加快"}, "json"),
        "note": ({"note": "进展"}, "json"),
    }
    return inputs.get(action, ({}, "json"))


def expected_step(persona: str, action: str, status: CaseStatus) -> int:
    if persona == "anonymous":
        return 401
    if status not in SEES[persona]:
        return 404
    who, sources = STEPS[action]
    if persona not in who:
        return 403
    if status not in sources:
        return 409
    return 200


def client_for(persona: str, city, api_as, api_client):
    return api_client if persona == "anonymous" else api_as(getattr(city, persona))


@pytest.mark.parametrize("status", list(CaseStatus), ids=[s.value for s in CaseStatus])
def test_every_step_for_every_persona(city, api_as, api_client, status):
    case = city.case_in(status)
    expected, actual = {}, {}
    for persona in PERSONAS:
        client = client_for(persona, city, api_as, api_client)
        for action in STEPS:
            body, form = step_input(action, city)
            savepoint = transaction.savepoint()
            response = client.post(f"/api/v1/incidents/{case.pk}/{action}/", body, format=form)
            transaction.savepoint_rollback(savepoint)
            expected[persona, action] = expected_step(persona, action, status)
            actual[persona, action] = response.status_code
    wrong = {key: (actual[key], expected[key]) for key in expected if actual[key] != expected[key]}
    assert not wrong, f"(persona, action): (got, expected) for a {status} case: {wrong}"


@pytest.mark.parametrize("status", list(CaseStatus), ids=[s.value for s in CaseStatus])
def test_reading_a_case_for_every_persona(city, api_as, api_client, status, photo):
    case = city.case_in(status)
    case = services.add_note_case(city.dispatcher, case, note="现场照片", photos=[photo()])
    attachment = case.attachments.get()
    for persona in PERSONAS:
        client = client_for(persona, city, api_as, api_client)
        sees = status in SEES[persona]
        listed = client.get("/api/v1/incidents/")
        detail = client.get(f"/api/v1/incidents/{case.pk}/")
        picture = client.get(f"/api/v1/attachments/{attachment.pk}/")
        thumbnail = client.get(f"/api/v1/attachments/{attachment.pk}/thumbnail/")
        figures = client.get("/api/v1/stats/summary/")
        if persona == "anonymous":
            codes = {listed.status_code, detail.status_code, picture.status_code, thumbnail.status_code}
            assert codes | {figures.status_code} == {401}
            continue
        assert listed.status_code == 200 and figures.status_code == 200
        ids = [row["id"] for row in listed.json()["results"]]
        assert ids == ([case.pk] if sees else []), persona
        assert detail.status_code == (200 if sees else 404), persona
        assert (picture.status_code, thumbnail.status_code) == ((200, 200) if sees else (404, 404)), persona
        assert figures.json()["received"] == (1 if sees else 0), persona


def test_an_invisible_case_is_a_404_whatever_the_step(city, api_as):
    case = city.case_in(CaseStatus.DISPATCHED)
    for action in STEPS:
        body, form = step_input(action, city)
        response = api_as(city.officer_unrelated).post(f"/api/v1/incidents/{case.pk}/{action}/", body, format=form)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_domain_refuses_the_same_way_as_the_api(city):
    """The rules live in the domain: a direct call is refused as the API call is."""
    from incidents.exceptions import CaseNotFound, CasePermissionDenied, InvalidTransition

    case = city.case_in(CaseStatus.DISPATCHED)
    with pytest.raises(CaseNotFound):
        services.start_case(city.officer_unrelated, case)
    with pytest.raises(CasePermissionDenied):
        services.start_case(city.officer_assisting, case)
    with pytest.raises(InvalidTransition):
        services.resolve_case(city.officer_lead, case, note="x")
    with pytest.raises(CasePermissionDenied):
        services.urge_case(city.worker_a, case)
