"""The case admin is a read-only window on cases and their timelines."""

from django.test import Client

from incidents.choices import CaseStatus


def test_the_admin_shows_cases_and_changes_nothing(city):
    case = city.case_in(CaseStatus.DISPATCHED)
    client = Client()
    client.force_login(city.admin)
    assert client.get("/admin/incidents/case/").status_code == 200
    page = client.get(f"/admin/incidents/case/{case.pk}/change/")
    assert page.status_code == 200 and case.tracking_no in page.content.decode()
    assert client.get("/admin/incidents/case/add/").status_code == 403
    assert client.post(f"/admin/incidents/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
