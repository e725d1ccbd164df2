"""The evaluation API: its shape against the definitions, who reads what, bad input, its queries."""

from __future__ import annotations

import pytest

from evaluation.choices import Figure, Rate
from evaluation.services import subjects

NOV = "/api/v1/evaluation/2026-11"
ROW_KEYS = {"key", "name", *Figure.values, "avg_handling_hours", *Rate.values, "score", "band", "rank"}

pytestmark = pytest.mark.usefixtures("isolated_cache")


def client_for(api_as, api_client, user):
    return api_client if user is None else api_as(user)


def keys(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["key"] for row in response.json()]


# --- shape ---------------------------------------------------------------------------------------------------


def test_the_department_rows_carry_the_definitions_keys(november, api_as):
    body = api_as(november.leader).get(f"{NOV}/departments/").json()
    cgj = next(row for row in body if row["key"] == "CGJ")
    assert set(cgj) == ROW_KEYS | {"code"} and cgj["code"] == "CGJ"
    expected = next(row for row in subjects.departments(subjects.Period(2026, 11)) if row["key"] == "CGJ")
    assert {k: cgj[k] for k in Figure.values} == {k: expected[k] for k in Figure.values}
    assert cgj["due"] == 6 and cgj["overdue_open"] == 1 and cgj["shirked"] == 1
    assert cgj["on_time_rate"] == pytest.approx(4 / 6) and cgj["score"] == pytest.approx(expected["score"])
    assert cgj["band"] == "red" and cgj["rank"] == 1 and cgj["avg_handling_hours"] == 2.35
    # Ranked first, then the departments without cases: no score, no band, no rank, rates "no data".
    assert body[0]["key"] == "CGJ"
    idle = next(row for row in body if row["key"] == november.unrelated.code)
    assert (idle["score"], idle["band"], idle["rank"], idle["on_time_rate"]) == (None, None, None, None)


def test_officer_and_township_rows_are_keyed_by_username_and_code(november, api_as):
    client = api_as(november.dispatcher)
    officer = next(r for r in client.get(f"{NOV}/officers/").json() if r["key"] == "t-officer-cgj")
    assert officer["username"] == "t-officer-cgj" and officer["department"] == "CGJ"
    assert set(officer) == ROW_KEYS | {"username", "department"}
    townships = client.get(f"{NOV}/townships/").json()
    assert {row["code"] for row in townships} == {"433101901", "433101902"}
    assert next(r for r in townships if r["key"] == "433101901")["due"] == 6


def test_the_rounds_behind_a_figure(november, api_as):
    client = api_as(november.leader)
    body = client.get(f"{NOV}/departments/CGJ/rounds/", {"figure": "overdue_open"}).json()
    assert len(body) == 1 and set(body[0]) == {"case", "tracking_no", "started_at", "deadline", "resolved_at"}
    assert body[0]["resolved_at"] is None and body[0]["tracking_no"].startswith("JS")
    assert body[0]["started_at"] == "2026-11-05T09:00:00+08:00"
    assert len(client.get(f"{NOV}/departments/CGJ/rounds/", {"figure": "due"}).json()) == 6
    mine = client.get(f"{NOV}/officers/t-officer-cgj/rounds/", {"figure": "handled"}).json()
    assert len(mine) == 5


def test_the_periods_run_from_the_first_dispatch_to_this_month(november, api_as):
    from django.utils import timezone

    from evaluation.periods import period_of

    body = api_as(november.leader).get("/api/v1/evaluation/periods/").json()
    current = period_of(timezone.now()).key
    assert body[0] == {"period": current, "state": "provisional", "version": None}
    assert body[-1]["period"] == "2026-11"
    assert [p["period"] for p in body] == sorted((p["period"] for p in body), reverse=True)


def test_a_month_without_cases_gives_rows_without_scores(city, api_as):
    body = api_as(city.leader).get("/api/v1/evaluation/2026-10/departments/").json()
    assert body and all(row["score"] is None and row["rank"] is None and row["due"] == 0 for row in body)


# --- who reads what ----------------------------------------------------------------------------------------

# persona: (departments, officers, townships) — the keys read, or the status code.
MATRIX = {
    "anonymous": (401, 401, 401),
    "nobody": (403, 403, 403),
    "worker": (403, 403, 403),
    "officer": (403, ["t-officer-cgj"], 403),
    "head": (["CGJ"], ["t-head-cgj", "t-officer-cgj"], 403),
    "other_head": (["GAJ"], ["t-head-gaj", "t-officer-gaj"], 403),
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_who_reads_which_rows(november, personas, api_as, api_client, persona):
    client = client_for(api_as, api_client, personas[persona])
    for subject, expected in zip(("departments", "officers", "townships"), MATRIX[persona], strict=True):
        response = client.get(f"{NOV}/{subject}/")
        if isinstance(expected, int):
            assert response.status_code == expected, (subject, response.content)
        else:
            assert sorted(keys(response)) == expected, subject


@pytest.mark.parametrize("persona", ["dispatcher", "leader", "admin"])
def test_the_centre_reads_every_row(november, personas, api_as, persona):
    client = api_as(personas[persona])
    assert len(keys(client.get(f"{NOV}/departments/"))) == len(subjects.departments(subjects.Period(2026, 11)))
    officers = set(keys(client.get(f"{NOV}/officers/")))
    assert {"t-officer-cgj", "t-officer-gaj", "t-officer-zjj", "t-head-cgj"} <= officers
    assert len(keys(client.get(f"{NOV}/townships/"))) == 2
    assert client.get("/api/v1/evaluation/periods/").status_code == 200


# persona: status of the rounds of CGJ's due figure, and of t-officer-cgj's.
ROUNDS = {
    "anonymous": (401, 401),
    "nobody": (403, 403),
    "worker": (403, 403),
    "officer": (403, 200),
    "head": (200, 200),
    "other_head": (404, 404),
    "dispatcher": (200, 200),
    "leader": (200, 200),
    "admin": (200, 200),
}


@pytest.mark.parametrize("persona", sorted(ROUNDS))
def test_who_reads_which_rounds(november, personas, api_as, api_client, persona):
    client = client_for(api_as, api_client, personas[persona])
    department = client.get(f"{NOV}/departments/CGJ/rounds/", {"figure": "due"})
    officer = client.get(f"{NOV}/officers/t-officer-cgj/rounds/", {"figure": "due"})
    assert (department.status_code, officer.status_code) == ROUNDS[persona]
    periods = client.get("/api/v1/evaluation/periods/").status_code
    assert periods == {"anonymous": 401, "nobody": 403}.get(persona, 200)  # a worker reads their own row


def test_an_officer_reads_not_a_colleagues_rounds(november, api_as, make_user):
    from departments.services import appoint

    colleague = make_user("t-officer-cgj2")
    appoint(colleague, november.lead)
    response = api_as(colleague).get(f"{NOV}/officers/t-officer-cgj/rounds/", {"figure": "due"})
    assert response.status_code == 404
    assert keys(api_as(colleague).get(f"{NOV}/officers/")) == ["t-officer-cgj2"]


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/api/v1/evaluation/2026-13/departments/", {}, 400, "period"),
        ("/api/v1/evaluation/2026-1/departments/", {}, 400, "period"),
        ("/api/v1/evaluation/november/departments/", {}, 400, "period"),
        ("/api/v1/evaluation/2099-01/departments/", {}, 400, "period"),
        ("/api/v1/evaluation/1999-12/departments/", {}, 400, "period"),
        ("/api/v1/evaluation/2026-11/planets/", {}, 404, "detail"),
        ("/api/v1/evaluation/2026-11/departments/", {"version": "x"}, 400, "version"),
        ("/api/v1/evaluation/2026-11/departments/", {"version": "0"}, 400, "version"),
        ("/api/v1/evaluation/2026-11/departments/CGJ/rounds/", {"figure": "nonsense"}, 400, "figure"),
        ("/api/v1/evaluation/2026-11/departments/CGJ/rounds/", {}, 400, "figure"),
        ("/api/v1/evaluation/2026-11/departments/CGJ/rounds/", {"figure": "score"}, 400, "figure"),
        ("/api/v1/evaluation/2099-01/departments/CGJ/rounds/", {"figure": "due"}, 400, "period"),
        ("/api/v1/evaluation/2026-11/planets/CGJ/rounds/", {"figure": "due"}, 404, "detail"),
    ],
)
def test_bad_input_is_a_400_or_404_with_a_message(city, api_as, path, params, status, field):
    response = api_as(city.leader).get(path, params)
    assert response.status_code == status, response.content
    assert response.json()[field]


def test_the_future_month_is_refused_in_chinese(city, api_as):
    body = api_as(city.leader).get("/api/v1/evaluation/2099-01/departments/").json()
    assert body == {"period": ["这个月份尚未开始。"]}


# --- queries and schema -------------------------------------------------------------------------------------


def test_the_rows_take_a_bounded_number_of_queries(november, api_as, django_assert_max_num_queries):
    client = api_as(november.head_lead)
    with django_assert_max_num_queries(8):
        assert sorted(keys(client.get(f"{NOV}/officers/"))) == ["t-head-cgj", "t-officer-cgj"]
    client = api_as(november.leader)
    for subject in ("departments", "officers", "townships"):
        with django_assert_max_num_queries(6):
            assert client.get(f"{NOV}/{subject}/").status_code == 200


def test_the_schema_documents_the_evaluation_api(api_client, db):
    text = api_client.get("/api/schema/").content.decode()
    for path in [
        "/api/v1/evaluation/periods/",
        "/api/v1/evaluation/{period}/{subject}/",
        "/api/v1/evaluation/{period}/{subject}/{key}/rounds/",
    ]:
        assert path in text
    assert "overdue_open" in text and "JS20261105-0003" in text and "satisfaction_rate" in text
