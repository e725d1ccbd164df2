"""The warning that next year's working-time calendar is missing belongs to the admin and the
dispatch console, not to the wall screen (a big screen is no place to ask for data entry)."""

from __future__ import annotations

import pytest
from django.test import Client

from worktime.templatetags import worktime_tags

WARNING = "工作日历"


@pytest.fixture
def december(monkeypatch):
    monkeypatch.setattr(worktime_tags, "missing_next_year_warning", lambda today: True)


def page(user, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_console_warns_and_the_wall_screen_does_not(city, december):
    console = page(city.dispatcher, "/console/")
    assert '<ul class="messages calendar-warning"><li class="warning">' in console and WARNING in console
    wall = page(city.leader, "/dashboard/")
    assert WARNING not in wall and "calendar-warning" not in wall


def test_no_warning_once_next_years_calendar_is_in(city, monkeypatch):
    monkeypatch.setattr(worktime_tags, "missing_next_year_warning", lambda today: False)
    assert 'class="warning"' not in page(city.dispatcher, "/console/")
