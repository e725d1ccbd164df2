"""Seed the public holidays and make-up working days that chinesecalendar knows (2004–2026)."""

from django.db import migrations


def load(apps, schema_editor):
    from worktime.official import load_official_calendar

    load_official_calendar(apps.get_model("worktime", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
