"""Shared fixtures: personas built with the real role machinery, API clients, the test city
(tests/city.py), the tests' Celery worker.

Tests run against the real PostgreSQL/PostGIS and Redis (see README, "Tests").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

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


@pytest.fixture
def city(db, make_user, dispatcher, leader, admin_user):
    """The test city (tests/city.py): its map, its people; the personas are its centre staff."""
    from tests.city import build_city

    return build_city(make_user, dispatcher=dispatcher, leader=leader, admin=admin_user)


@pytest.fixture
def photo() -> Callable[..., bytes]:
    """``photo(size=(64, 48), colour="orange")``: the bytes of a small JPEG."""
    from tests.city import jpeg

    return jpeg


@pytest.fixture
def isolated_cache(settings):
    """A cache key prefix of the test's own: rate-limit counters of other runs sharing this
    Redis database (user ids repeat from one test database to the next) do not count."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos of the test go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """A real Celery worker for the test session, on the test database and the tests' Redis
    database (``tests/servers.py``); its log goes to a file."""
    from tests.servers import CeleryWorker

    worker = CeleryWorker(include=["tests.worker_tasks"])
    try:
        worker.start()
        yield worker
    finally:
        worker.close()
