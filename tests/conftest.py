"""Shared fixtures: personas built with the real role machinery, API clients.

Tests run against the real PostgreSQL/PostGIS and Redis (see README, "Tests").
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from accounts.roles import Role, grant

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def password_hash() -> str:
    # Argon2 is slow on purpose: hash once for every persona.
    return make_password(PASSWORD)


@pytest.fixture
def make_user(db, password_hash):
    """``make_user("name", Role.DISPATCHER, ...)``: an active user holding those roles."""

    def make(username: str, *roles: Role, **fields):
        user = get_user_model().objects.create(username=username, password=password_hash, **fields)
        if roles:
            grant(user, *roles)
        return user

    return make


@pytest.fixture
def dispatcher(make_user):
    return make_user("t-dispatcher", Role.DISPATCHER, last_name="值班员")


@pytest.fixture
def leader(make_user):
    return make_user("t-leader", Role.LEADER)


@pytest.fixture
def admin_user(make_user):
    return make_user("t-admin", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def officer(make_user):
    return make_user("t-officer", Role.OFFICER)


@pytest.fixture
def grid_worker(make_user):
    return make_user("t-worker", Role.GRID_WORKER)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)``: an API client authenticated as that user (token-less, forced)."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture(scope="session")
def celery_worker_process():
    """A real Celery worker, started for the test session on the tests' Redis database."""
    import os
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    from gridcenter.celery import app

    root = Path(__file__).resolve().parents[1]
    # The worker's log goes to a file: a pipe nobody reads would fill and block the worker.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "gridcenter", "worker", "--pool", "solo", "--loglevel", "WARNING"],
        cwd=root,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    try:
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError("the test Celery worker did not start: " + log.read().decode()[-2000:])
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
