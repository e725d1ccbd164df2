"""The working-time calendar: examples on the real (database) calendar."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from worktime import calendar
from worktime.choices import DayKind, DaySource, TimeLimitUnit
from worktime.models import CalendarDay
from worktime.official import official_years

TZ = ZoneInfo("Asia/Shanghai")
WH, WD, NH = TimeLimitUnit.WORKING_HOURS, TimeLimitUnit.WORKING_DAYS, TimeLimitUnit.NATURAL_HOURS


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_every_year_chinesecalendar_knows_is_seeded(official_calendar):
    assert official_years() == range(2004, 2027)
    for year in official_years():
        assert calendar.year_is_published(year), year
    assert not calendar.year_is_published(2027)
    assert CalendarDay.objects.filter(source=DaySource.CHINESECALENDAR).count() > 700
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"


def test_loading_again_adds_nothing(official_calendar, capsys):
    call_command("load_workcalendar")
    assert "0 days added" in capsys.readouterr().out


def test_the_2026_spring_festival_and_its_make_up_saturdays(official_calendar):
    for day in range(15, 24):
        assert not calendar.is_working_day(date(2026, 2, day)), day
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday, make-up working day
    assert calendar.is_working_day(date(2026, 2, 28))  # Saturday, make-up working day
    assert not calendar.is_working_day(date(2026, 2, 21))  # a Saturday inside the holiday
    assert calendar.is_working_day(date(2026, 2, 24))
    # Friday 10:00 + 5 working days: Fri (5 h), Sat 14th, then Tue 24th to Fri 27th 10:00.
    result = calendar.deadline(at(2026, 2, 13, 10), 5, WD)
    assert result == calendar.Deadline(at(2026, 2, 27, 10), provisional=False)
    # Friday 27th 16:00 + 3 working hours runs into the make-up Saturday the 28th.
    assert calendar.deadline(at(2026, 2, 27, 16), 3, WH).deadline == at(2026, 2, 28, 9, 30)


def test_lunch_break_night_and_weekend(official_calendar):
    assert calendar.deadline(at(2025, 11, 12, 11), 2, WH).deadline == at(2025, 11, 12, 15, 30)  # lunch
    assert calendar.deadline(at(2025, 11, 12, 17), 1, WH).deadline == at(2025, 11, 13, 8, 30)  # night
    assert calendar.deadline(at(2025, 11, 14, 17), 1, WH).deadline == at(2025, 11, 17, 8, 30)  # weekend
    assert calendar.deadline(at(2025, 11, 15, 3), 1, WH).deadline == at(2025, 11, 17, 9)  # starts on a Saturday
    assert calendar.deadline(at(2025, 11, 12, 10), 2, WH).deadline == at(2025, 11, 12, 12)  # ends at lunch


def test_a_working_day_is_a_whole_office_day_of_working_time(official_calendar):
    assert calendar.deadline(at(2025, 11, 14, 10), 1, WD).deadline == at(2025, 11, 17, 10)
    assert calendar.deadline(at(2025, 11, 14, 18), 1, WD).deadline == at(2025, 11, 17, 17, 30)
    assert calendar.deadline(at(2025, 11, 14, 7), 1, WD).deadline == at(2025, 11, 14, 17, 30)


def test_natural_hours_run_round_the_clock(official_calendar):
    result = calendar.deadline(at(2026, 2, 16, 23, 45), Decimal("0.5"), NH)
    assert result == calendar.Deadline(at(2026, 2, 17, 0, 15), provisional=False)
    assert calendar.deadline(at(2030, 1, 1, 0, 0), 2, NH).provisional is False


def test_a_year_without_data_falls_back_to_monday_to_friday_and_is_provisional(official_calendar):
    assert not calendar.year_is_published(2030)
    assert calendar.is_working_day(date(2030, 1, 1))  # a Tuesday; its real 元旦 is unknown
    assert not calendar.is_working_day(date(2030, 1, 5))
    result = calendar.deadline(at(2030, 1, 4, 17), 1, WH)  # Friday
    assert result == calendar.Deadline(at(2030, 1, 7, 8, 30), provisional=True)
    # A limit that runs from a known year into an unknown one is provisional too.
    assert calendar.deadline(at(2026, 12, 31, 10), 3, WD).provisional is True
    assert calendar.deadline(at(2026, 12, 1, 10), 3, WD).provisional is False


def test_working_time_between(official_calendar):
    assert calendar.working_time_between(at(2025, 11, 12, 11), at(2025, 11, 12, 15)) == timedelta(hours=1, minutes=30)
    assert calendar.working_time_between(at(2025, 11, 14, 17), at(2025, 11, 17, 9)) == timedelta(hours=1, minutes=30)
    assert calendar.working_time_between(at(2025, 11, 17, 9), at(2025, 11, 14, 17)) == timedelta(0)
    # Across the Spring Festival: 13th, 14th, 24th–27th and the 28th.
    assert calendar.working_time_between(at(2026, 2, 13), at(2026, 3, 2)) == timedelta(hours=7 * 7)


def test_naive_datetimes_are_refused(official_calendar):
    with pytest.raises(ValueError, match="aware"):
        calendar.deadline(datetime(2026, 1, 5, 9), 1, WH)  # noqa: DTZ001


def test_office_hours_come_from_the_setting(official_calendar, settings):
    settings.OFFICE_HOURS = "09:00-17:00"
    assert calendar.deadline(at(2025, 11, 14, 10), 1, WD).deadline == at(2025, 11, 17, 10)
    assert calendar.deadline(at(2025, 11, 14, 16), 2, WH).deadline == at(2025, 11, 17, 10)
    assert calendar.default_calendar().day_length == timedelta(hours=8)


def test_an_edit_is_seen_at_once(official_calendar):
    monday = date(2025, 11, 17)
    assert calendar.is_working_day(monday)  # now cached
    day = CalendarDay.objects.create(date=monday, kind=DayKind.LOCAL_HOLIDAY, name="苗族赶秋节")
    assert day.is_working_day is False
    assert not calendar.is_working_day(monday)
    day.delete()
    assert calendar.is_working_day(monday)


def test_next_year_warning(official_calendar):
    assert not calendar.missing_next_year_warning(date(2026, 11, 30))
    assert calendar.missing_next_year_warning(date(2026, 12, 1))
    assert not calendar.missing_next_year_warning(date(2025, 12, 1))
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    assert not calendar.missing_next_year_warning(date(2026, 12, 1))


def test_the_warning_text():
    html = render_to_string("worktime/missing_next_year.html", {"show": True, "next_year": 2027})
    assert "2027" in html and "warning" in html
    assert render_to_string("worktime/missing_next_year.html", {"show": False, "next_year": 2027}).strip() == ""


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/worktime/calendarday/",
        "/admin/worktime/calendarday/add/",
        "/admin/worktime/calendarday/?date__year=2026",
    ],
)
def test_admin_pages_load(client, admin_user, official_calendar, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_admin_adds_a_day_as_admin(client, admin_user, official_calendar):
    client.force_login(admin_user)
    response = client.post(
        "/admin/worktime/calendarday/add/", {"date": "2027-01-01", "kind": DayKind.HOLIDAY, "name": "元旦"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    assert (day.source, day.is_working_day) == (DaySource.ADMIN, False)
    assert calendar.year_is_published(2027)
    change = client.get(f"/admin/worktime/calendarday/{day.pk}/change/")
    assert change.status_code == 200


def test_the_admin_names_weekdays_in_chinese(client, admin_user, official_calendar):
    client.force_login(admin_user)
    html = client.get("/admin/worktime/calendarday/?date__year=2026").content.decode()
    assert "星期四" in html  # 2026-01-01 was a Thursday
    assert "Thu" not in html and "Mon<" not in html
