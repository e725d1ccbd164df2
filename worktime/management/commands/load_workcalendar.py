"""``manage.py load_workcalendar``: add the official holidays the chinesecalendar package knows."""

from django.core.management.base import BaseCommand

from worktime.calendar import calendar_changed
from worktime.official import load_official_calendar, official_years


class Command(BaseCommand):
    help = "Add the public holidays and make-up working days known to chinesecalendar (keeps admin edits)."

    def handle(self, *args, **options):
        created = load_official_calendar()
        calendar_changed()  # bulk inserts send no signals: tell every process
        years = official_years()
        self.stdout.write(f"calendar: {created} days added; the package knows {years.start}–{years.stop - 1}")
