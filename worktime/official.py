"""Seeding the calendar from the ``chinesecalendar`` package (it knows 2004 to 2026).

``load_official_calendar`` adds the dates that are missing and never overwrites a row an
administrator edited. The data migration carries a frozen copy of it; the
``load_workcalendar`` command runs it again after the package is upgraded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import chinese_calendar

from worktime.choices import DayKind, DaySource

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def official_days() -> list[tuple[date, str, str]]:
    """(date, kind, Chinese name) for every holiday and make-up working day the package knows."""
    days = [(day, DayKind.HOLIDAY.value, name) for day, name in chinese_calendar.holidays.items()]
    days += [(day, DayKind.MAKEUP_WORKDAY.value, name) for day, name in chinese_calendar.workdays.items()]
    return sorted((day, kind, CHINESE_NAMES.get(name, name)) for day, kind, name in days)


def official_years() -> range:
    days = [day for day, _kind, _name in official_days()]
    return range(min(days).year, max(days).year + 1)


def load_official_calendar(day_model: Any = None) -> int:
    """Create the missing rows (one bulk insert); return how many were created."""
    if day_model is None:
        from worktime.models import CalendarDay as day_model
    existing = set(day_model.objects.values_list("date", flat=True))
    new = [
        day_model(
            date=day,
            kind=kind,
            is_working_day=kind == DayKind.MAKEUP_WORKDAY,
            name=name,
            source=DaySource.CHINESECALENDAR.value,
        )
        for day, kind, name in official_days()
        if day not in existing
    ]
    day_model.objects.bulk_create(new)
    return len(new)
