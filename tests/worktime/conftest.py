import pytest

from worktime.calendar import clear_cache
from worktime.official import load_official_calendar


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(settings):
    """Each test sees its own transaction's calendar, not a year cached by an earlier test,
    and the default office hours whatever the environment says."""
    settings.OFFICE_HOURS = "08:00-12:00,14:30-17:30"
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def official_calendar(db):
    load_official_calendar()  # present from the data migration unless a transactional test flushed it
