"""Start the SLA clock of the cases a department holds when the clock arrives.

Each gets round 1 from its dispatch to its deadline, with its warning and escalation
instants (as ``incidents.services.sla.instants`` counts them, on the working-time calendar
for limits in working time) and its next check at the first of them: the first sweep then
takes the steps that are already due (a deployment's first minute may notify the heads
and leaders of the cases overdue at that moment, once).

Frozen: this migration imports no project code. The working-time arithmetic below is a
copy of ``worktime.calendar.WorkCalendar.add_working_time`` / ``working_time_between`` and
of ``worktime.hours.parse_office_hours`` as they were when it was written, on the
historical ``CalendarDay`` model. The deployment's settings it reads are listed in
``SETTINGS_READ`` with the defaults they had then; a setting that a later version of the
project no longer has falls back to that default. The cases are read and updated in
batches of ``BATCH`` by id, so memory does not grow with the number of cases.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

RUNNING = ("dispatched", "in_progress")
TICK = timedelta(microseconds=1)
BATCH = 2000
MAX_SEARCH_DAYS = 5 * 366  # give up rather than loop for ever if every day is a holiday

# The settings read, with their defaults when this migration was written.
SETTINGS_READ = {
    "OFFICE_HOURS": "08:00-12:00,14:30-17:30",
    "TIME_ZONE": "Asia/Shanghai",
    "SLA_WARNING_SHARE": 0.8,
    "SLA_ESCALATION_SHARE": 0.5,
    "SLA_STEPS": ("warning", "overdue", "escalated"),  # the steps taken (the keys of the setting)
}
FIELDS = ("sla_round", "sla_started_at", "sla_warning_at", "sla_escalate_at", "sla_next_check_at")

_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def setting(name):
    return getattr(settings, name, SETTINGS_READ[name])


def parse_office_hours(raw: str) -> tuple[tuple[time, time], ...]:
    """``"08:00-12:00,14:30-17:30"`` → ((08:00, 12:00), (14:30, 17:30))."""
    periods = []
    for part in raw.split(","):
        match = _PERIOD.match(part.strip().replace(" ", ""))
        if not match:
            raise ValueError(f"{part!r} is not a period like 08:00-12:00")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        start, end = time(h1, m1), time(h2, m2)
        if start >= end or (periods and start < periods[-1][1]):
            raise ValueError(f"{raw!r} is not valid office hours")
        periods.append((start, end))
    if not periods:
        raise ValueError("office hours need at least one period")
    return tuple(periods)


class WorkCalendar:
    """Office hours on the working days of the historical ``CalendarDay`` rows (Monday to
    Friday unless a row says otherwise)."""

    def __init__(self, day_model, office_hours: str, time_zone: str):
        self.day_model = day_model
        self.periods = parse_office_hours(office_hours)
        self.tz = ZoneInfo(time_zone)
        self.years: dict[int, dict[date, bool]] = {}

    def is_working_day(self, day: date) -> bool:
        overrides = self.years.get(day.year)
        if overrides is None:
            rows = self.day_model.objects.filter(date__year=day.year).values_list("date", "is_working_day")
            overrides = self.years[day.year] = dict(rows)
        return overrides.get(day, day.weekday() < 5)

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, tzinfo=self.tz), datetime.combine(day, end, tzinfo=self.tz))
            for start, end in self.periods
        ]

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The first instant at which ``duration`` of working time has passed since ``start``."""
        local = start.astimezone(self.tz)
        if duration <= timedelta():
            return local
        remaining = duration
        day = local.date()
        for _offset in range(MAX_SEARCH_DAYS):
            for period_start, period_end in self.office_periods(day):
                begin = max(period_start, local)
                if begin >= period_end:
                    continue
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += timedelta(days=1)
        raise ValueError(f"no working time within {MAX_SEARCH_DAYS} days of {start:%Y-%m-%d}")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero when ``end`` is not after ``start``."""
        start, end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = timedelta()
        day = start.date()
        while day <= end.date():
            for period_start, period_end in self.office_periods(day):
                overlap = min(period_end, end) - max(period_start, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total


def start_clock(case, calendar: WorkCalendar, warning_share: float, escalation_share: float, steps: set) -> None:
    start = case.dispatched_at or case.created_at
    if case.time_limit_unit == "natural_hours":
        allowed = max(case.deadline - start, timedelta())
        warning_at = start + allowed * warning_share
        escalate_at = case.deadline + allowed * escalation_share
    else:
        allowed = calendar.working_time_between(start, case.deadline)
        warning_at = calendar.add_working_time(start, allowed * warning_share)
        escalate_at = calendar.add_working_time(case.deadline, allowed * escalation_share)
    case.sla_round = 1
    case.sla_started_at = start
    case.sla_warning_at = warning_at
    case.sla_escalate_at = escalate_at
    due = [("warning", warning_at), ("overdue", case.deadline + TICK), ("escalated", escalate_at)]
    case.sla_next_check_at = next((at for step, at in due if step in steps), None)


def backfill(apps, schema_editor):
    Case = apps.get_model("incidents", "Case")
    calendar = WorkCalendar(apps.get_model("worktime", "CalendarDay"), setting("OFFICE_HOURS"), setting("TIME_ZONE"))
    warning_share = float(setting("SLA_WARNING_SHARE"))
    escalation_share = float(setting("SLA_ESCALATION_SHARE"))
    steps = set(setting("SLA_STEPS"))
    waiting = Case.objects.filter(status__in=RUNNING, deadline__isnull=False, sla_round=0).order_by("id")
    last_id = 0
    while True:
        batch = list(
            waiting.filter(id__gt=last_id).only("id", "dispatched_at", "created_at", "deadline", "time_limit_unit")[
                :BATCH
            ]
        )
        if not batch:
            return
        for case in batch:
            start_clock(case, calendar, warning_share, escalation_share, steps)
        Case.objects.bulk_update(batch, FIELDS)
        last_id = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_sla_clock"),
        ("worktime", "0002_load_official_calendar"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
