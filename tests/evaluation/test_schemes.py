"""Scoring schemes: version 1 is the default, a leader's edit is a new version, never a change."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from evaluation.models import Scheme
from evaluation.models.schemes import ImmutableSchemeError
from evaluation.services import publishing, read, schemes, scoring
from gridcenter.errors import DomainValidationError, PermissionDeniedError
from tests.evaluation.month import NOVEMBER, PUBLISHED_AT, row

pytestmark = pytest.mark.django_db


def test_version_one_is_the_default_of_the_definitions():
    (row,) = Scheme.objects.all()
    assert row.version == 1
    assert scoring.Scheme.from_model(row) == dataclasses.replace(scoring.DEFAULT_SCHEME, version=1)
    assert schemes.current() == scoring.Scheme.from_model(row)


def test_a_leaders_edit_is_a_new_version(leader):
    added = schemes.add_version(leader, on_time_weight=60, handled_weight=Decimal("15"), note="加重按期")

    assert added.version == 2 and added.created_by == leader and added.note == "加重按期"
    current = schemes.current()
    assert (current.version, current.on_time_weight, current.handled_weight) == (2, 60.0, 15.0)
    assert current.rework_weight == 10.0  # what was not given is kept
    assert scoring.Scheme.from_model(Scheme.objects.get(version=1)) == dataclasses.replace(
        scoring.DEFAULT_SCHEME, version=1
    )


def test_a_version_is_never_changed():
    row = Scheme.objects.get(version=1)
    row.on_time_weight = Decimal(1)
    with pytest.raises(ImmutableSchemeError):
        row.save()


def test_only_a_leader_or_an_administrator_edits_the_scheme(dispatcher, officer, admin_user):
    for user in (dispatcher, officer):
        with pytest.raises(PermissionDeniedError):
            schemes.add_version(user, on_time_weight=60)
    assert schemes.add_version(admin_user, shirk_deduction=2).version == 2


@pytest.mark.parametrize(
    "values",
    [{"yellow_from": 95}, {"green_from": 101}, {"on_time_weight": -1}, {"bonus": 3}, {"on_time_weight": "x"}],
)
def test_a_bad_scheme_is_refused(leader, values):
    with pytest.raises(DomainValidationError):
        schemes.add_version(leader, **values)
    assert Scheme.objects.count() == 1


def test_no_weight_at_all_is_refused(leader):
    with pytest.raises(DomainValidationError):
        schemes.add_version(leader, on_time_weight=0, handled_weight=0, rework_weight=0, satisfaction_weight=0)


def test_the_admin_saves_an_edit_as_a_new_version(client, admin_user):
    client.force_login(admin_user)
    form = {name: str(value) for name, value in scoring.DEFAULT_SCHEME.values().items()}
    url = f"/admin/evaluation/scheme/{Scheme.objects.get(version=1).pk}/change/"

    page = client.get(url)
    assert page.status_code == 200 and b"_saveasnew" in page.content and b'name="_save"' not in page.content

    client.post(url, {**form, "green_from": "85", "note": "放宽", "_saveasnew": "1"})
    client.post(url, {**form, "yellow_from": "70", "_save": "1"})  # a plain save is a new version too

    assert list(Scheme.objects.order_by("version").values_list("version", "green_from", "yellow_from")) == [
        (1, Decimal(90), Decimal(80)),
        (2, Decimal(85), Decimal(80)),
        (3, Decimal(90), Decimal(70)),
    ]
    assert Scheme.objects.get(version=2).created_by == admin_user


def test_the_admin_of_schemes_is_for_leaders_and_administrators(client, dispatcher):
    dispatcher.is_staff = True
    dispatcher.save(update_fields=["is_staff"])
    client.force_login(dispatcher)
    assert client.get("/admin/evaluation/scheme/add/").status_code == 403


def test_a_published_month_keeps_its_scheme_version(november):
    publication = publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    published = row(read.rows(NOVEMBER, "departments"), november.lead.code)

    schemes.add_version(november.leader, on_time_weight=80, handled_weight=0)

    assert publication.scheme.version == 1
    assert row(read.rows(NOVEMBER, "departments"), november.lead.code) == published
    rescored = row(read.compute("departments", NOVEMBER), november.lead.code)  # a provisional month: version 2
    assert rescored["score"] == pytest.approx(80 * 4 / 6 + 10 * (1 - 1 / 5) + 15 * 1.0 - 0.5 - 1)
    assert rescored["score"] != published["score"]
    assert publishing.publish(NOVEMBER, now=PUBLISHED_AT).scheme.version == 1
