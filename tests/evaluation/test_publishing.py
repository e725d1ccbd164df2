"""Publishing a month: frozen rows and rounds, once, never the current month; the periods list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from evaluation import columns
from evaluation.models import FrozenRound, FrozenRow, Publication
from evaluation.periods import period_of
from evaluation.services import publishing, read
from evaluation.tasks import publish_previous_month_task
from gridcenter.errors import DomainValidationError, NotFoundError, PermissionDeniedError
from incidents import services
from tests.evaluation.month import DECEMBER, NOVEMBER, PUBLISHED_AT, at, row
from tests.incidents.test_concurrency import at_once

pytestmark = pytest.mark.django_db


def test_publishing_freezes_the_rows_and_rounds_as_computed(november):
    before = {subject: read.rows(NOVEMBER, subject) for subject in read.SUBJECTS}
    overdue_before = read.rounds(NOVEMBER, "departments", november.lead.code, "overdue_open")

    publication = publishing.publish(NOVEMBER, now=PUBLISHED_AT)

    assert (publication.period, publication.version, publication.scheme.version) == ("2026-11", 1, 1)
    assert publication.published_by is None and publication.reason == ""
    assert publication.published_at == PUBLISHED_AT
    assert {subject: read.rows(NOVEMBER, subject) for subject in read.SUBJECTS} == before
    assert read.rounds(NOVEMBER, "departments", november.lead.code, "overdue_open") == overdue_before
    cgj = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    for figure in read.ROUND_FIGURES:  # every frozen figure lists its frozen rounds
        assert len(read.rounds(NOVEMBER, "departments", november.lead.code, figure)) == cgj[figure], figure


def test_a_published_month_does_not_change_with_the_timeline(november, november_cases):
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    published = row(read.rows(NOVEMBER, "departments"), november.lead.code)

    # A step recorded later but dated in November (the overdue case handled on the 20th):
    overdue = november_cases["overdue"]
    services.start_case(november.officer_lead, overdue, now=at(20, 9))
    services.resolve_case(november.officer_lead, overdue, note="补录", now=at(20, 10))

    recomputed = row(read.compute("departments", NOVEMBER), november.lead.code)
    assert (recomputed["overdue_open"], recomputed["handled"]) == (0, 6)  # the timeline did change
    assert row(read.rows(NOVEMBER, "departments"), november.lead.code) == published
    behind = read.rounds(NOVEMBER, "departments", november.lead.code, "overdue_open")
    assert [r["case"] for r in behind] == [overdue.pk] and behind[0]["resolved_at"] is None


def test_publishing_twice_is_harmless(november):
    first = publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    counts = (FrozenRow.objects.count(), FrozenRound.objects.count())

    again = publishing.publish(NOVEMBER, now=PUBLISHED_AT + timedelta(hours=5), actor=november.leader)

    assert again.pk == first.pk and again.published_at == PUBLISHED_AT
    assert Publication.objects.count() == 1
    assert (FrozenRow.objects.count(), FrozenRound.objects.count()) == counts


def test_the_current_month_and_later_ones_cannot_be_published(november):
    with pytest.raises(DomainValidationError) as error:
        publishing.publish(DECEMBER, now=at(31, 23, month=12))
    assert "period" in error.value.errors and error.value.status_code == 400
    with pytest.raises(DomainValidationError):
        publishing.publish(period_of(timezone.now()))
    with pytest.raises(DomainValidationError):
        publishing.publish(period_of(timezone.now()).next())
    assert not Publication.objects.exists()


def test_only_a_leader_or_an_administrator_publishes_by_hand(november):
    with pytest.raises(PermissionDeniedError):
        publishing.publish(NOVEMBER, actor=november.dispatcher, now=PUBLISHED_AT)
    publication = publishing.publish(NOVEMBER, actor=november.leader, reason="提前发布", now=PUBLISHED_AT)
    assert publication.published_by == november.leader and publication.reason == "提前发布"


def test_a_month_with_no_cases_publishes_rows_without_scores(city):
    publication = publishing.publish(NOVEMBER, now=PUBLISHED_AT)

    departments = read.rows(NOVEMBER, "departments")
    assert departments and all(r["score"] is None and r["rank"] is None for r in departments)
    assert not publication.rounds.exists()


def test_the_periods_run_from_the_first_event_to_the_current_month(november):
    now = at(3, 10, month=12)
    assert read.periods(now=now) == [
        {"period": "2026-12", "state": "provisional", "version": None},
        {"period": "2026-11", "state": "provisional", "version": None},
    ]
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    assert read.periods(now=now)[1] == {"period": "2026-11", "state": "published", "version": 1}


def test_the_periods_of_an_empty_city_are_the_current_month(db):
    assert read.periods(now=at(3, 10, month=12)) == [{"period": "2026-12", "state": "provisional", "version": None}]


def test_an_unknown_version_is_not_found(november):
    with pytest.raises(NotFoundError):
        read.rows(NOVEMBER, "departments", version=1)  # not published
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    assert read.rows(NOVEMBER, "departments", version=1) == read.rows(NOVEMBER, "departments")
    with pytest.raises(NotFoundError):
        read.rows(NOVEMBER, "departments", version=2)
    with pytest.raises(NotFoundError):
        read.rounds(NOVEMBER, "departments", november.lead.code, "due", version=2)


def test_the_monthly_task_publishes_the_previous_month(november):
    assert publishing.publish_previous_month(now=PUBLISHED_AT).period == "2026-11"

    result = publish_previous_month_task.apply().get()

    previous = period_of(timezone.now()).previous()
    assert result["period"] == previous.key and result["version"] == 1
    assert Publication.objects.filter(period=previous.key, version=1).exists()


def test_the_beat_publishes_on_the_first_at_one(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-evaluation"]
    assert entry["task"] == "evaluation.tasks.publish_previous_month_task"
    schedule = entry["schedule"]
    assert (schedule.minute, schedule.hour, schedule.day_of_month) == ({0}, {1}, {1})


def test_the_command_publishes_a_month_once(november, capsys):
    call_command("publish_evaluation", "2026-11")
    call_command("publish_evaluation", "2026-11")

    out = capsys.readouterr().out
    assert "2026-11: published as version 1" in out and "2026-11: already published" in out
    assert Publication.objects.filter(period="2026-11").count() == 1
    with pytest.raises(CommandError):
        call_command("publish_evaluation", period_of(timezone.now()).key)
    with pytest.raises(CommandError):
        call_command("publish_evaluation", "2026-13")
    with pytest.raises(CommandError):
        call_command("publish_evaluation")


@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_make_one_publication(november, caplog):
    caplog.set_level("INFO", logger="evaluation.services.publishing")

    results = at_once(*[lambda: publishing.publish(NOVEMBER, now=PUBLISHED_AT)] * 3)

    assert all(isinstance(result, Publication) for result in results), results
    assert {result.pk for result in results} == {Publication.objects.get(period="2026-11").pk}
    publication = Publication.objects.get()
    assert publication.rows.count() == FrozenRow.objects.count() > 0
    assert publication.rounds.count() == FrozenRound.objects.count() > 0
    assert [r.message for r in caplog.records] == ["evaluation 2026-11 published as version 1 (scheme version 1)"]


def test_a_published_month_shows_its_columns_in_the_computed_order(november):
    computed = {subject: columns.value_columns(read.rows(NOVEMBER, subject)) for subject in read.SUBJECTS}
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)

    # The frozen rows come back from jsonb with their keys reordered; the tables are not.
    assert {subject: columns.value_columns(read.rows(NOVEMBER, subject)) for subject in read.SUBJECTS} == computed
