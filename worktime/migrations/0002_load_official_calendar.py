"""Seed the public holidays and make-up working days that chinesecalendar knows (2004–2026).

Frozen: the loader is a copy of ``worktime.official.load_official_calendar`` (with the
values of the ``DayKind`` and ``DaySource`` choices and the Chinese names) as it was when
this migration was written; it reads the pinned ``chinesecalendar`` package (1.11.0 in
requirements.txt), not project code. A newer package's dates are added by
``manage.py load_workcalendar``, not by this migration.
"""

from django.db import migrations

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
SOURCE = "chinesecalendar"
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


def load(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("worktime", "CalendarDay")
    days = [(day, HOLIDAY, name) for day, name in chinese_calendar.holidays.items()]
    days += [(day, MAKEUP_WORKDAY, name) for day, name in chinese_calendar.workdays.items()]
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=day,
            kind=kind,
            is_working_day=kind == MAKEUP_WORKDAY,
            name=CHINESE_NAMES.get(name, name),
            source=SOURCE,
        )
        for day, kind, name in sorted(days)
        if day not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
