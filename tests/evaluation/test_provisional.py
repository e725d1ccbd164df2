"""A month not yet published is kept briefly in the cache; the beat task keeps it warm; a
new scheme version is read at once; the demo city's closed months are published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation import demo
from evaluation.models import Publication
from evaluation.services import publishing, read, schemes
from evaluation.tasks import refresh_provisional_task
from incidents import services
from tests.evaluation.month import NOVEMBER, PUBLISHED_AT, at, row

pytestmark = pytest.mark.django_db


def _resolve_the_overdue_case_late(november, november_cases):
    """A step dated in November, recorded now (the overdue case handled on the 20th)."""
    overdue = november_cases["overdue"]
    services.start_case(november.officer_lead, overdue, now=at(20, 9))
    services.resolve_case(november.officer_lead, overdue, note="补录", now=at(20, 10))


def test_a_provisional_month_is_read_from_the_cache_until_it_is_refreshed(november, november_cases):
    before = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    assert read.computed_at(NOVEMBER, "departments") is not None
    _resolve_the_overdue_case_late(november, november_cases)

    assert row(read.rows(NOVEMBER, "departments"), november.lead.code) == before  # cached

    refresh_provisional_task.run()  # what the beat task does (the month before, unpublished, too)
    after = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    assert (before["overdue_open"], after["overdue_open"]) == (1, 0)
    assert after["handled"] == before["handled"] + 1


def test_fresh_rows_are_recomputed_and_stored(november, november_cases):
    read.rows(NOVEMBER, "departments")
    _resolve_the_overdue_case_late(november, november_cases)

    fresh = row(read.rows(NOVEMBER, "departments", fresh=True), november.lead.code)  # the ranking task's read
    assert fresh["overdue_open"] == 0
    assert row(read.rows(NOVEMBER, "departments"), november.lead.code) == fresh


def test_a_new_scheme_version_is_read_at_once(november):
    before = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    schemes.add_version(november.leader, note="按时率权重提高", on_time_weight=Decimal(70), handled_weight=Decimal(5))

    after = row(read.rows(NOVEMBER, "departments"), november.lead.code)
    assert after["score"] != before["score"] and after["due"] == before["due"]


def test_a_published_month_is_not_cached(november):
    read.rows(NOVEMBER, "departments")
    publishing.publish(NOVEMBER, now=PUBLISHED_AT)
    assert read.computed_at(NOVEMBER, "departments") is None


def test_the_demo_publishes_the_closed_months_once(november):
    lines: list[str] = []
    demo.seed(password="x", log=lines.append)
    demo.seed(password="x", log=lines.append)  # again: nothing new

    published = set(Publication.objects.values_list("period", flat=True))
    current = read.periods(timezone.now())[0]
    assert "2026-11" in published and current["period"] not in published
    assert current["state"] == "provisional"
    assert Publication.objects.filter(period="2026-11").count() == 1
    assert lines[-1].startswith("evaluation: 0 months published")
