"""POST /api/v1/incidents/<id>/merge/: the API side of merging a duplicate report."""

from incidents import services
from incidents.choices import CaseStatus
from incidents.models import Case

URL = "/api/v1/incidents/"


def test_the_dispatcher_merges_a_report_into_the_open_case_it_repeats(city, api_as):
    original = city.report()
    services.dispatch_case(city.dispatcher, original)
    report = city.report(city.worker_b)
    response = api_as(city.dispatcher).post(f"{URL}{report.pk}/merge/", {"into": original.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == CaseStatus.REJECTED
    report.refresh_from_db()
    assert report.duplicate_of_id == original.pk
    # The report's reporter now follows the original.
    assert Case.objects.visible_to(city.worker_b).filter(pk=original.pk).exists()


def test_merge_needs_an_open_case_to_merge_into(city, api_as):
    report = city.report()
    client = api_as(city.dispatcher)
    assert client.post(f"{URL}{report.pk}/merge/", {}, format="json").json()["into"]
    response = client.post(f"{URL}{report.pk}/merge/", {"into": "abc"}, format="json")
    assert response.status_code == 400 and response.json()["into"]
    assert client.post(f"{URL}{report.pk}/merge/", {"into": report.pk}, format="json").status_code == 400
    report.refresh_from_db()
    assert report.status == CaseStatus.REPORTED and report.duplicate_of_id is None


def test_only_the_centre_merges(city, api_as):
    # Both reports are the worker's own, so they see both; their role still may not merge.
    original = city.report(city.worker_b)
    report = city.report(city.worker_b)
    response = api_as(city.worker_b).post(f"{URL}{report.pk}/merge/", {"into": original.pk}, format="json")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == CaseStatus.REPORTED


def test_a_dispatched_case_cannot_be_merged_away(city, api_as):
    original = city.report()
    dispatched = city.case_in(CaseStatus.DISPATCHED)
    response = api_as(city.dispatcher).post(f"{URL}{dispatched.pk}/merge/", {"into": original.pk}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
