import pytest

from departments.models import Department, Officer
from departments.services import appoint


@pytest.fixture(autouse=True)
def _isolated(isolated_cache, media_root):
    """Every case test has a cache key prefix and a media directory of its own (tests/conftest.py)."""


@pytest.fixture
def staffed(city, make_user):
    """The test city with an officer and a head in every department (the history needs them)."""
    for department in Department.objects.filter(is_active=True):
        if not Officer.objects.filter(department=department, is_head=False).exists():
            appoint(make_user(f"t-officer-{department.code.lower()}x"), department)
        if not Officer.objects.filter(department=department, is_head=True).exists():
            appoint(make_user(f"t-head-{department.code.lower()}x"), department, head=True)
    return city
