"""The phone's own lists: today at a glance, my reports, my errands, cases to check on site."""

from __future__ import annotations

from incidents import services as cases
from incidents.choices import CaseStatus
from patrols import services
from patrols.choices import DirectiveTarget
from tests.city import IN_B, jpeg


def test_today_shows_grids_patrol_directives_and_what_waits(api_as, city, dispatcher):
    worker = city.workers["ab"]
    patrol = services.start_patrol(worker, grid=city.grids["B"]).patrol
    services.send_directive(dispatcher, text="通知", target=DirectiveTarget.ALL)
    case = city.report(city.workers["a"])
    cases.self_resolve_case(city.workers["a"], case, photos=[jpeg()])
    city.report(worker, point=IN_B)
    today = api_as(worker).get("/api/v1/field/today/")
    assert today.status_code == 200, today.content
    assert [row["grid"]["id"] for row in today.data["grids"]] == [city.grids["A"].pk, city.grids["B"].pk]
    assert today.data["min_minutes"] == 30
    assert today.data["patrol"]["id"] == patrol.pk
    assert today.data["unread_directives"] == 1
    assert today.data["to_verify"] == 1
    assert today.data["open_reports"] == 1


def test_my_reports_and_my_errands_are_separate_and_mine_only(api_as, city):
    report = city.report(city.workers["a"])
    errand = city.report(city.workers["a"], subcategory="6302", description="代办低保申请")
    city.report(city.workers["ab"])  # same grid, someone else's report
    api = api_as(city.workers["a"])
    assert [row["id"] for row in api.get("/api/v1/field/my-reports/").data["results"]] == [report.pk]
    errands = api.get("/api/v1/field/my-errands/").data["results"]
    assert [row["id"] for row in errands] == [errand.pk]
    assert errands[0]["subcategory"]["code"] == "6302"


def test_cases_to_verify_are_resolved_unverified_ones_in_my_grids(api_as, city):
    in_a = city.report(city.workers["a"])
    cases.self_resolve_case(city.workers["a"], in_a, photos=[jpeg()])
    in_b = city.report(city.workers["b"], point=IN_B)
    cases.self_resolve_case(city.workers["b"], in_b, photos=[jpeg()])
    assert [row["id"] for row in api_as(city.workers["ab"]).get("/api/v1/field/to-verify/").data["results"]] == [
        in_a.pk,
        in_b.pk,
    ]
    assert [row["id"] for row in api_as(city.workers["a"]).get("/api/v1/field/to-verify/").data["results"]] == [in_a.pk]
    cases.verify_case(city.workers["ab"], in_a)
    rows = api_as(city.workers["ab"]).get("/api/v1/field/to-verify/").data["results"]
    assert [(row["id"], row["status"]) for row in rows] == [(in_b.pk, CaseStatus.RESOLVED)]


def test_the_phone_lists_are_for_grid_workers(api_as, dispatcher, leader, city):
    for person in (dispatcher, leader):
        for url in ("/api/v1/field/today/", "/api/v1/field/my-reports/", "/api/v1/field/to-verify/"):
            assert api_as(person).get(url).status_code == 403
