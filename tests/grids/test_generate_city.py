"""``manage.py generate_city``: a larger synthetic city with the same guarantees."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from grids.models import Grid, Township
from grids.selectors import grids_of


def test_generate_city_at_scale_two_and_replace(db):
    out = io.StringIO()
    call_command("generate_city", "--scale", "2", "--map-only", stdout=out)
    assert Grid.objects.active().count() == 2 * 688
    assert Township.objects.count() == 15
    with pytest.raises(CommandError):
        call_command("generate_city", stdout=out)
    call_command("generate_city", "--scale", "1", "--map-only", "--replace", stdout=out)
    assert Grid.objects.count() == 688


def test_grids_of_a_worker(small_city):
    assert [g["code"] for g in grids_of(small_city.lead.user)] == [small_city.grids["A"].code]
