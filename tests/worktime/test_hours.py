"""OFFICE_HOURS: parsing, the start-up error and the system check."""

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from gridcenter.env import parse_office_hours, validate_office_hours
from worktime.checks import check_office_hours

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_office_hours():
    assert parse_office_hours("08:00-12:00,14:30-17:30") == ((time(8), time(12)), (time(14, 30), time(17, 30)))
    assert parse_office_hours(" 9:00-17:00 ") == ((time(9), time(17)),)


@pytest.mark.parametrize(
    "raw",
    ["", ",", "08:00", "8-12", "08:00-12:00,", "12:00-08:00", "08:00-08:00", "25:00-26:00", "08:70-09:00",
     "08:00-12:00,11:00-13:00", "14:00-17:00,08:00-12:00", "08:00-12:00;14:00-17:00"],
)  # fmt: skip
def test_malformed_office_hours_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_office_hours(raw)
    with pytest.raises(ImproperlyConfigured, match="OFFICE_HOURS="):
        validate_office_hours("OFFICE_HOURS", raw)


def test_the_system_check(settings):
    assert check_office_hours() == []
    settings.OFFICE_HOURS = "8 to 5"
    assert [error.id for error in check_office_hours()] == ["worktime.E001"]


def test_the_server_refuses_to_start_with_malformed_office_hours():
    env = {**os.environ, "GRIDCENTER_ENV": "development", "OFFICE_HOURS": "08:00-12:00,11:00-13:00"}
    result = subprocess.run(
        [sys.executable, "-c", "import gridcenter.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "OFFICE_HOURS='08:00-12:00,11:00-13:00' is not valid office hours" in result.stderr
