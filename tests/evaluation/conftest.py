"""Fixtures of the evaluation tests: the hand-built November (tests/evaluation/month.py), and
the personas of the visibility matrix (the test city's, plus the head of another department)."""

from __future__ import annotations

import pytest

from departments.services import appoint
from tests.evaluation.month import build_november


@pytest.fixture(autouse=True)
def _own_cache(isolated_cache):
    """Cache keys of the test's own: a month not published is cached (``provisional``) by its
    period, and every test database has its own November."""


@pytest.fixture
def november_cases(city) -> dict:
    """The cases of the hand-built November, by name (``on_time``, ``overdue``, ``shirked``, …)."""
    return build_november(city)


@pytest.fixture
def november(city, november_cases):
    """The test city with its hand-built November."""
    return city


@pytest.fixture
def other_head(city, make_user):
    """The head of GAJ (the test city's assisting department)."""
    user = make_user("t-head-gaj", last_name="公安局长")
    appoint(user, city.assisting, head=True)
    return user


@pytest.fixture
def personas(city, other_head):
    """Everyone of the matrix, by name (``anonymous`` is ``None``)."""
    return {
        "anonymous": None,
        "worker": city.worker_a,
        "officer": city.officer_lead,
        "head": city.head_lead,
        "other_head": other_head,
        "dispatcher": city.dispatcher,
        "leader": city.leader,
        "admin": city.admin,
        "nobody": city.nobody,
    }
