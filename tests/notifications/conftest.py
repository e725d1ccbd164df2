import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_cache, media_root):
    """Every notification test has a cache key prefix and a media directory of its own (tests/conftest.py)."""
