"""manage.py simulate and manage.py dashboard_rollups."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dashboard import rollups
from dashboard.choices import Bucket
from dashboard.models import Tally
from incidents.choices import CaseStatus
from incidents.models import Case, CaseEvent


def test_simulate_moves_cases_through_the_domain_functions(city):
    out = io.StringIO()
    call_command("simulate", rate=60000, steps=60, seed=7, stdout=out)
    assert "60 actions" in out.getvalue()
    assert Case.objects.count() > 10
    assert Case.objects.exclude(status=CaseStatus.REPORTED).exists()
    # Every change went through a domain function: each case has its timeline.
    assert CaseEvent.objects.filter(action="report").count() == Case.objects.count()
    assert rollups.check() == []


@pytest.mark.parametrize("options", [{"rate": 0}, {"rate": -5}, {"duration": -1}, {"steps": -1}])
def test_simulate_refuses_bad_options(city, options):
    with pytest.raises(CommandError):
        call_command("simulate", **{"steps": 1, **options}, stdout=io.StringIO())


def test_simulate_needs_a_city(db):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("simulate", steps=1, stdout=io.StringIO())


def test_the_rollups_command_checks_folds_and_repairs(city):
    city.case_in(CaseStatus.RESOLVED)
    out = io.StringIO()
    call_command("dashboard_rollups", stdout=out)
    assert "all counts agree" in out.getvalue()
    call_command("dashboard_rollups", fold=True, stdout=out)
    Tally.objects.filter(bucket=Bucket.STATUS, code=CaseStatus.RESOLVED).update(n=0)
    with pytest.raises(CommandError, match="1 counts disagree"):
        call_command("dashboard_rollups", stdout=io.StringIO())
    call_command("dashboard_rollups", repair=True, stdout=out)
    assert "1 were wrong" in out.getvalue()
    call_command("dashboard_rollups", stdout=out)


def test_the_upkeep_tasks(city):
    from dashboard.tasks import check_rollups_task, fold_rollups_task

    city.case_in(CaseStatus.CLOSED)
    assert fold_rollups_task() > 0
    Tally.objects.filter(bucket=Bucket.STATUS, code=CaseStatus.CLOSED).update(n=5)
    assert check_rollups_task() == 1
    assert check_rollups_task() == 0
