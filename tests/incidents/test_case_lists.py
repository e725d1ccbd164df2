"""The case lists: sort (a whitelist), search, filters kept in the URL, bulk actions per case."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Case


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


def order_in(html: str, cases) -> list[str]:
    """The tracking numbers of ``cases`` in the order the page shows them."""
    numbers = {case.tracking_no for case in cases}
    seen = [n for n in re.findall(r">(JS\d{8}-\d{4})<", html) if n in numbers]
    return list(dict.fromkeys(seen))


# --- sorting, search and the URL ------------------------------------------------------------------


def test_the_case_list_sorts_by_a_column_both_ways_and_keeps_the_filters(city, client):
    cases = [city.report(description=f"路灯不亮 {i}") for i in range(3)]
    login(client, city.dispatcher)
    html = client.get("/console/cases/", {"q": "路灯", "ordering": "tracking_no"}).content.decode()
    assert order_in(html, cases) == [c.tracking_no for c in cases]
    # The header links keep the search and turn the order round.
    assert 'href="?q=%E8%B7%AF%E7%81%AF&amp;ordering=-tracking_no"' in html
    assert 'aria-sort="ascending"' in html
    html = client.get("/console/cases/", {"q": "路灯", "ordering": "-tracking_no"}).content.decode()
    assert order_in(html, cases) == [c.tracking_no for c in reversed(cases)]
    # The pager and the export links carry the same query.
    assert "format=xlsx" in html and "q=%E8%B7%AF%E7%81%AF&amp;ordering=-tracking_no&amp;format=xlsx" in html


@pytest.mark.parametrize("ordering", ["password", "reporter__password", "-", "tracking_no,id", "\x00", "x" * 300])
def test_an_unknown_sort_is_ignored_not_an_error(city, client, ordering):
    first, second = city.report(), city.report()
    login(client, city.dispatcher)
    response = client.get("/console/cases/", {"ordering": ordering})
    assert response.status_code in (200, 400)  # 400: the middleware refuses a NUL byte
    if response.status_code == 200:
        html = response.content.decode()
        assert order_in(html, [first, second]) == [second.tracking_no, first.tracking_no]  # newest first
        assert "form-errors" not in html


def test_search_finds_tracking_numbers_addresses_and_descriptions_trimmed(city, client):
    by_address = city.report(address="人民路12号", description="井盖缺失")
    by_text = city.report(description="桥下积水很深")
    login(client, city.dispatcher)
    for q, found, missing in [
        ("  人民路  ", by_address, by_text),
        ("积水", by_text, by_address),
        (by_text.tracking_no[-6:], by_text, by_address),
    ]:
        html = client.get("/console/cases/", {"q": q}).content.decode()
        assert found.tracking_no in html and missing.tracking_no not in html, q


def test_every_queue_has_a_search_box_and_a_sort(city, client):
    wanted = city.report(address="乾州街道", description="垃圾")
    other = city.report(description="噪音")
    login(client, city.dispatcher)
    html = client.get("/console/", {"q": "乾州"}).content.decode()
    assert wanted.tracking_no in html and other.tracking_no not in html
    assert 'type="search" name="q" value="乾州"' in html
    html = client.get("/console/", {"ordering": "-created_at"}).content.decode()
    assert order_in(html, [wanted, other]) == [other.tracking_no, wanted.tracking_no]
    assert client.get("/console/", {"ordering": "nope"}).status_code == 200
    for path in ("/console/dispatch/", "/console/review/"):
        assert 'name="q"' in client.get(path).content.decode()


def test_the_filters_are_pickers_whose_values_stay_codes(city, client):
    case = city.case_in(CaseStatus.DISPATCHED)
    login(client, city.dispatcher)
    query = {"grid": case.grid.code, "department": "CGJ", "major": "01", "subcategory": "0101"}
    html = client.get("/console/cases/", query).content.decode()
    assert case.tracking_no in html
    assert '<datalist id="grid-options">' in html and f'<option value="{case.grid.code}">' in html
    assert '<option value="CGJ" selected>' in html  # the department by name, kept as its code
    option = re.search(r'<option value="0101"[^>]*>', html)
    assert option and 'data-major="01"' in option.group() and "selected" in option.group()


def test_the_workbench_sorts_searches_and_exports_its_own_list(city, client):
    mine = city.case_in(CaseStatus.DISPATCHED, description="人行道破损")
    other = city.case_in(CaseStatus.DISPATCHED, description="路灯不亮")
    login(client, city.officer_lead)
    html = client.get("/workbench/", {"q": "人行道"}).content.decode()
    assert mine.tracking_no in html and other.tracking_no not in html
    assert "form-errors" not in html
    html = client.get("/workbench/", {"ordering": "-tracking_no"}).content.decode()
    assert order_in(html, [mine, other]) == [other.tracking_no, mine.tracking_no]
    assert 'href="/workbench/export/?ordering=-tracking_no&amp;format=csv"' in html or "workbench/export/" in html


# --- bulk actions ----------------------------------------------------------------------------------


def outcomes(html: str) -> dict[str, str]:
    return {case: state for state, case in re.findall(r'<tr class="(ok|failed)" data-case="(\d+)"', html)}


def test_bulk_accept_reports_each_case_including_one_taken_meanwhile(city, client):
    a, b, taken = city.report(), city.report(), city.report()
    services.accept_case(city.dispatcher2, taken)  # another dispatcher was quicker
    login(client, city.dispatcher)
    response = client.post(
        "/console/bulk/", {"action": "accept", "cases": [a.pk, b.pk, taken.pk, 999999], "next": "/console/"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert outcomes(html) == {str(a.pk): "ok", str(b.pk): "ok", str(taken.pk): "failed", "999999": "failed"}
    assert Case.objects.get(pk=a.pk).status == CaseStatus.REGISTERED
    assert Case.objects.get(pk=b.pk).status == CaseStatus.REGISTERED
    assert list(Case.objects.get(pk=taken.pk).events.values_list("actor__username", flat=True))[-1] == "t-dispatcher2"
    assert 'href="/console/"' in html  # back to the queue


def test_bulk_dispatch_sends_each_to_one_department_with_its_deadline(city, client):
    cases = [city.case_in(CaseStatus.REGISTERED) for _ in range(2)]
    login(client, city.dispatcher)
    response = client.post(
        "/console/bulk/", {"action": "dispatch", "cases": [c.pk for c in cases], "dispatch-department": city.lead.pk}
    )
    assert response.status_code == 200
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.DISPATCHED and case.lead_department == city.lead and case.deadline
        assert case.events.filter(action="dispatch").count() == 1


def test_bulk_reject_with_a_reason_or_as_duplicates_of_an_original(city, client):
    original = city.case_in(CaseStatus.REGISTERED)
    a, b, c = city.report(), city.report(), city.report()
    login(client, city.dispatcher)
    client.post("/console/bulk/", {"action": "reject", "cases": [a.pk], "reject-reason": "无效上报"})
    assert Case.objects.get(pk=a.pk).status == CaseStatus.REJECTED
    response = client.post(
        "/console/bulk/",
        {"action": "reject", "cases": [b.pk, c.pk], "reject-reason": "重复", "reject-into": original.tracking_no},
    )
    assert response.status_code == 200
    assert set(Case.objects.filter(pk__in=[b.pk, c.pk]).values_list("duplicate_of", flat=True)) == {original.pk}


@pytest.mark.parametrize(
    "data",
    [
        {"action": "accept"},  # nothing ticked
        {"action": "accept", "cases": ["abc"]},
        {"action": "explode", "cases": ["1"]},
        {"cases": ["1"]},
        {"action": "dispatch", "cases": ["1"]},  # no department
        {"action": "reject", "cases": ["1"], "reject-reason": ""},
        {"action": "reject", "cases": ["1"], "reject-reason": "重复", "reject-into": "JS00000000-0000"},
    ],
)
def test_bad_bulk_input_is_a_form_error_and_changes_nothing(city, client, data):
    case = city.report()
    data = {**data, "cases": [str(case.pk) if v == "1" else v for v in data.get("cases", [])]}
    login(client, city.dispatcher)
    response = client.post("/console/bulk/", data)
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REPORTED


def test_only_the_centre_bulk_acts_and_only_on_what_each_may(city, client):
    case = city.case_in(CaseStatus.REGISTERED)
    for persona in ("officer_lead", "worker_a"):
        login(Client(), getattr(city, persona))
        response = login(client, getattr(city, persona)).post(
            "/console/bulk/", {"action": "dispatch", "cases": [case.pk], "dispatch-department": city.lead.pk}
        )
        assert response.status_code == 403
    # A leader opens the console but may not accept: refused per case, by the domain.
    report = city.report()
    html = login(client, city.leader).post("/console/bulk/", {"action": "accept", "cases": [report.pk]}).content
    assert f'class="failed" data-case="{report.pk}"'.encode() in html
    assert Case.objects.get(pk=report.pk).status == CaseStatus.REPORTED
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REGISTERED


def test_an_officer_takes_several_cases_and_not_another_departments(city, client):
    mine = [city.case_in(CaseStatus.DISPATCHED) for _ in range(2)]
    login(client, city.officer_unrelated)
    html = client.post("/workbench/bulk/", {"action": "start", "cases": [mine[0].pk]}).content.decode()
    assert f'class="failed" data-case="{mine[0].pk}"' in html  # not visible: refused
    login(client, city.officer_lead)
    html = client.post("/workbench/bulk/", {"action": "start", "cases": [c.pk for c in mine]}).content.decode()
    assert all(f'class="ok" data-case="{c.pk}"' in html for c in mine)
    assert set(Case.objects.filter(pk__in=[c.pk for c in mine]).values_list("status", flat=True)) == {
        CaseStatus.IN_PROGRESS
    }
