"""Settings come from the environment; bad values stop the process with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from gridcenter.env import Env

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "0123456789abcdefghijABCDEFGHIJ-_!@#"


def load_settings(**overrides: str) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with the given environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"GRIDCENTER_ENV", "SECRET_KEY", "DEBUG"}}
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import gridcenter.settings as s; print(s.DEBUG, s.ENVIRONMENT)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = load_settings(GRIDCENTER_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = load_settings(GRIDCENTER_ENV="production", SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_production_is_the_default_and_debug_is_off():
    result = load_settings(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "production"]


def test_debug_cannot_be_switched_on_in_production():
    result = load_settings(GRIDCENTER_ENV="production", SECRET_KEY=GOOD_KEY, DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a valid boolean"),
        ("GRIDCENTER_ENV", "staging", "GRIDCENTER_ENV='staging' is not a valid choice"),
        ("DB_CONN_MAX_AGE", "ten", "DB_CONN_MAX_AGE='ten' is not a valid integer"),
        ("DB_CONN_MAX_AGE", "-1", "must be at least 0"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL='localhost:6379' is not a valid URL"),
        ("DATABASE_URL", "mysql://db/grid", "DATABASE_URL='mysql://db/grid' is not a valid URL"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL='LOUD' is not a valid choice"),
    ],
)
def test_bad_values_are_rejected_with_the_variable_named(name, value, message):
    result = load_settings(**{"GRIDCENTER_ENV": "development", name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_starts_with_a_local_key_and_debug_off_by_default():
    result = load_settings(GRIDCENTER_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "development"]


class TestEnvHelpers:
    def test_bool_accepts_the_usual_spellings(self):
        env = Env({"A": "yes", "B": "Off", "C": "1"})
        assert env.bool("A") is True
        assert env.bool("B") is False
        assert env.bool("C") is True
        assert env.bool("MISSING", True) is True

    def test_int_bounds(self):
        env = Env({"N": "5"})
        assert env.int("N", 0, minimum=1, maximum=10) == 5
        with pytest.raises(ImproperlyConfigured, match="must be at most 3"):
            env.int("N", 0, maximum=3)

    def test_float_rejects_nan(self):
        with pytest.raises(ImproperlyConfigured, match="not a number"):
            Env({"F": "nan"}).float("F", 0.5)

    def test_list_splits_and_trims(self):
        assert Env({"L": " a.example, b.example ,,"}).list("L") == ["a.example", "b.example"]

    def test_required_str(self):
        with pytest.raises(ImproperlyConfigured, match="X must be set"):
            Env({"X": "  "}).required_str("X")


def test_check_deploy_is_clean_under_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"GRIDCENTER_ENV", "DEBUG"}}
    env.update(
        GRIDCENTER_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="grid.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://grid.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Warnings fail the command; anything else it prints (an INFO) fails here. The one
    # silenced check is Debian 12's GDAL 3.6 (settings.py says why); no other may be.
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced).", result.stdout + result.stderr
    assert django_settings.SILENCED_SYSTEM_CHECKS == ["gis.W001"]


def test_check_deploy_fails_on_a_warning():
    """The check above can fail: production settings with HSTS turned off warn (security.W004)."""
    env = {k: v for k, v in os.environ.items() if k not in {"GRIDCENTER_ENV", "DEBUG"}}
    env.update(GRIDCENTER_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="grid.example.gov.cn")
    env["SECURE_HSTS_SECONDS"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_map_tile_url_check(settings):
    from gridcenter.checks import check_map_tiles

    settings.MAP_TILE_URL = "https://tiles.example/tile.png"
    assert [error.id for error in check_map_tiles()] == ["gridcenter.E001"]
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    assert check_map_tiles() == []


@pytest.mark.parametrize("value", ["120", "120/week", "0/min", "many/min"])
def test_a_malformed_rate_is_rejected(value):
    result = load_settings(GRIDCENTER_ENV="development", API_PUBLIC_RATE=value)
    assert result.returncode != 0
    assert "is not a valid rate" in result.stderr
