"""The frozen SLA backfill (incidents/migrations/0009_sla_backfill.py), run on today's schema.

It starts the clock of the running cases that have none, batch after batch, with the
working-time arithmetic it carries, and leaves every other case alone.
"""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

from django.apps import apps

from incidents import services
from incidents.models import Case
from tests.city import TZ

backfill_migration = importlib.import_module("incidents.migrations.0009_sla_backfill")

FRIDAY_16 = datetime(2026, 11, 27, 16, 0, tzinfo=TZ)  # 0101 allows 4 working hours
MONDAY = datetime(2026, 11, 30, tzinfo=TZ)
CLOCK = ("sla_round", "sla_started_at", "sla_warning_at", "sla_escalate_at", "sla_next_check_at")


def test_the_backfill_starts_the_clock_of_running_cases_in_batches(city, monkeypatch):
    running = []
    for _ in range(5):
        case = city.report(now=FRIDAY_16 - timedelta(minutes=5))
        running.append(services.dispatch_case(city.dispatcher, case, department=city.lead, now=FRIDAY_16))
    waiting = city.report(now=FRIDAY_16)  # not with a department: no clock
    Case.objects.update(
        sla_round=0, sla_started_at=None, sla_warning_at=None, sla_escalate_at=None, sla_next_check_at=None
    )
    monkeypatch.setattr(backfill_migration, "BATCH", 2)  # three batches

    backfill_migration.backfill(apps, schema_editor=None)

    # 1.5 h on Friday, then Monday from 08:00: due 10:30; warning after 80 % (3.2 h) at 09:42;
    # escalation after a further 50 % (2 h: 10:30-12:00, 14:30-15:00) at 15:00.
    warning_at = MONDAY.replace(hour=9, minute=42)
    expected = (1, FRIDAY_16, warning_at, MONDAY.replace(hour=15), warning_at)  # next check: the warning
    for case in running:
        case.refresh_from_db()
        assert case.deadline == MONDAY.replace(hour=10, minute=30)
        assert tuple(getattr(case, name) for name in CLOCK) == expected
    waiting.refresh_from_db()
    assert tuple(getattr(waiting, name) for name in CLOCK) == (0, None, None, None, None)
