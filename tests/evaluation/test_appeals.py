"""Appeals (申诉): a head appeals one counted item of a published month, a leader decides,
an upheld appeal publishes a new version without it; both versions stay readable."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.roles import Role
from departments.services import appoint
from evaluation.choices import AppealState
from evaluation.models import Appeal, Publication
from evaluation.services import appeals, publishing, read, scoring
from gridcenter.errors import ConflictError, DomainValidationError, NotFoundError, PermissionDeniedError
from tests.evaluation.month import NOVEMBER, PUBLISHED_AT, at, row
from tests.incidents.test_concurrency import at_once

pytestmark = pytest.mark.django_db

WITHIN = at(2, 10, month=12)  # Wednesday 2 December
ITEMS = {"overdue_open": "overdue", "shirked": "shirked", "rework": "reworked"}


@pytest.fixture
def published(november):
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    return november


def appeal_of(city, cases, figure="overdue_open", *, actor=None, now=WITHIN, **fields):
    fields.setdefault("reason", "施工方原因,已书面报备")
    fields.setdefault("case", (cases[ITEMS[figure]] if figure in ITEMS else cases["on_time"]).pk)
    return appeals.appeal(actor or city.head_lead, NOVEMBER, figure=figure, now=now, **fields)


def test_an_upheld_appeal_publishes_a_version_without_the_item(published, november_cases):
    cgj, township = published.lead.code, published.township.code
    before = row(read.rows(NOVEMBER, "departments"), cgj)
    appeal = appeal_of(published, november_cases, evidence="报备函 2026-11-05")
    assert appeal.state == AppealState.PENDING and appeal.round_no == 1

    decided = appeals.uphold_appeal(published.leader, appeal, note="报备属实", now=at(3, 9, month=12))

    assert decided.state == AppealState.UPHELD and decided.result is not None and decided.result.version == 2
    after = row(read.rows(NOVEMBER, "departments"), cgj)
    assert (after["overdue_open"], after["due"]) == (0, before["due"])
    assert after["score"] == pytest.approx(before["score"] + 0.5)
    assert read.rounds(NOVEMBER, "departments", cgj, "overdue_open") == []
    assert row(read.rows(NOVEMBER, "townships"), township)["overdue_open"] == 0  # wherever it counted
    # Version 1 stays as it was.
    assert row(read.rows(NOVEMBER, "departments", version=1), cgj) == before
    assert [r["case"] for r in read.rounds(NOVEMBER, "departments", cgj, "overdue_open", version=1)] == [
        november_cases["overdue"].pk
    ]
    assert read.periods(now=at(3, 10, month=12))[1] == {"period": "2026-11", "state": "published", "version": 2}


@pytest.mark.parametrize("figure", ["overdue_open", "shirked", "rework"])
def test_each_kind_of_item_leaves_its_count_and_the_scores_are_recomputed(published, november_cases, figure):
    cgj = published.lead.code
    before = row(read.rows(NOVEMBER, "departments"), cgj)

    appeals.uphold_appeal(published.leader, appeal_of(published, november_cases, figure), note="成立")

    after = row(read.rows(NOVEMBER, "departments"), cgj)
    assert after[figure] == before[figure] - 1
    assert {k: v for k, v in after.items() if k not in (figure, "score", "band", "rank", "rework_rate")} == {
        k: v for k, v in before.items() if k not in (figure, "score", "band", "rank", "rework_rate")
    }
    rates = scoring.rates(after)
    assert after["rework_rate"] == rates["rework_rate"]
    assert after["score"] == pytest.approx(scoring.score(after, rates)) and after["score"] > before["score"]
    assert after["rank"] == 1 and after["band"] == scoring.band(after["score"])


def test_everything_is_on_record(published, november_cases):
    appeal = appeal_of(published, november_cases, evidence="照片三张")
    appeals.dismiss_appeal(published.admin, appeal.pk, note="未提供报备材料", now=at(4, 9, month=12))

    appeal.refresh_from_db()
    assert (appeal.appealed_by, appeal.appealed_at, appeal.reason, appeal.evidence) == (
        published.head_lead,
        WITHIN,
        "施工方原因,已书面报备",
        "照片三张",
    )
    assert (appeal.state, appeal.decided_by, appeal.decided_at, appeal.decision_note) == (
        AppealState.DISMISSED,
        published.admin,
        at(4, 9, month=12),
        "未提供报备材料",
    )
    assert appeal.result is None and Publication.objects.count() == 1  # dismissed: nothing republished


def test_the_new_version_says_who_made_it_and_why(published, november_cases):
    appeal = appeal_of(published, november_cases)
    appeals.uphold_appeal(published.leader, appeal, note="报备属实", now=at(3, 9, month=12))

    version = Publication.objects.get(period="2026-11", version=2)
    assert (version.published_by, version.published_at, version.scheme.version) == (
        published.leader,
        at(3, 9, month=12),
        1,
    )
    assert "报备属实" in version.reason and version.appeal == Appeal.objects.get()


def test_an_item_that_is_not_counted_is_refused(published, november_cases):
    with pytest.raises(DomainValidationError) as error:
        appeal_of(published, november_cases, "overdue_open", case=november_cases["on_time"].pk)
    assert error.value.status_code == 400
    with pytest.raises(DomainValidationError):
        appeal_of(published, november_cases, "due")  # not an appealable figure
    with pytest.raises(DomainValidationError):
        appeal_of(published, november_cases, "shirked", case=november_cases["overdue"].pk)
    assert not Appeal.objects.exists()


def test_only_the_head_of_the_department_appeals(published, november_cases, make_user):
    other_head = make_user("t-head-zjj")
    appoint(other_head, published.unrelated, head=True)
    for actor in (published.officer_lead, other_head, published.leader, published.dispatcher):
        with pytest.raises(PermissionDeniedError) as error:
            appeal_of(published, november_cases, actor=actor)
        assert error.value.status_code == 403
    assert not Appeal.objects.exists()


def test_appeals_close_five_working_days_after_publication(published, november_cases):
    # Published Tuesday 1 December 01:00: five working days end on Monday 7 December 17:30.
    with pytest.raises(DomainValidationError) as error:
        appeal_of(published, november_cases, now=at(8, 8, 30, month=12))
    assert "period" in error.value.errors
    assert appeal_of(published, november_cases, now=at(7, 17, month=12)).pk


def test_a_reason_is_required_and_an_item_is_appealed_once(published, november_cases):
    with pytest.raises(DomainValidationError):
        appeal_of(published, november_cases, reason="  ")
    appeal_of(published, november_cases)
    with pytest.raises(ConflictError):
        appeal_of(published, november_cases)


def test_a_month_not_published_cannot_be_appealed(november, november_cases):
    with pytest.raises(DomainValidationError):
        appeal_of(november, november_cases)


def test_only_a_leader_decides_and_only_once(published, november_cases):
    appeal = appeal_of(published, november_cases)
    for actor in (published.dispatcher, published.head_lead):
        with pytest.raises(PermissionDeniedError):
            appeals.uphold_appeal(actor, appeal, note="成立")
    with pytest.raises(DomainValidationError):
        appeals.uphold_appeal(published.leader, appeal, note="")
    appeals.dismiss_appeal(published.leader, appeal, note="不成立")
    with pytest.raises(ConflictError) as error:
        appeals.uphold_appeal(published.leader, appeal, note="成立")
    assert error.value.status_code == 409
    with pytest.raises(NotFoundError):
        appeals.uphold_appeal(published.leader, appeal.pk + 1000, note="成立")


def test_two_upheld_appeals_make_versions_two_and_three(published, november_cases):
    first = appeals.uphold_appeal(published.leader, appeal_of(published, november_cases, "overdue_open"), note="是")
    second = appeals.uphold_appeal(published.leader, appeal_of(published, november_cases, "shirked"), note="是")

    assert (first.result.version, second.result.version) == (2, 3)
    newest = row(read.rows(NOVEMBER, "departments"), published.lead.code)
    assert (newest["overdue_open"], newest["shirked"]) == (0, 0)
    assert row(read.rows(NOVEMBER, "departments", version=2), published.lead.code)["shirked"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_leaders_deciding_at_once_one_wins_the_other_gets_a_conflict(published, november_cases, make_user):
    appeal = appeal_of(published, november_cases)
    second_leader = make_user("t-leader2", Role.LEADER)

    results = at_once(
        lambda: appeals.uphold_appeal(published.leader, appeal.pk, note="成立"),
        lambda: appeals.dismiss_appeal(second_leader, appeal.pk, note="不成立"),
    )

    assert sorted(type(result).__name__ for result in results) == ["Appeal", "ConflictError"], results
    conflict = next(result for result in results if isinstance(result, ConflictError))
    assert conflict.status_code == 409
    appeal.refresh_from_db()
    assert Publication.objects.filter(period="2026-11").count() == (2 if appeal.state == AppealState.UPHELD else 1)


def test_the_messages_speak_the_users_language(published, november_cases):
    with translation.override("zh-hans"), pytest.raises(DomainValidationError) as error:
        appeal_of(published, november_cases, reason="")
    assert error.value.errors == {"reason": ["请填写申诉理由。"]}
