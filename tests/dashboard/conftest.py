import pytest


@pytest.fixture(autouse=True)
def _media(media_root):
    """Photos of every wall-screen test go to a temporary directory (tests/conftest.py)."""
