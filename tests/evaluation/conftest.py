"""Fixtures of the evaluation's tests: the hand-built November (tests/evaluation/month.py)."""

from __future__ import annotations

import pytest

from tests.evaluation.month import build_november


@pytest.fixture
def november_cases(city) -> dict:
    """The cases of the hand-built November, by name (``on_time``, ``overdue``, ``shirked``, …)."""
    return build_november(city)


@pytest.fixture
def november(city, november_cases):
    """The test city with its hand-built November."""
    return city
