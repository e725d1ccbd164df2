import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_cache, media_root):
    """Every wall-screen test has cache keys of its own (the cached department ranking) and
    keeps its photos in a temporary directory (tests/conftest.py)."""
