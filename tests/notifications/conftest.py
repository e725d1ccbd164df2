"""The notification tests use the tiny city of the case tests (tests/incidents/conftest.py)."""

from tests.incidents.conftest import isolated_cache, media_root, photo, world  # noqa: F401
