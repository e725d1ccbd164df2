"""Start the SLA clock of the cases a department holds when the clock arrives.

Each gets round 1 from its dispatch to its deadline, with its warning and escalation
instants (as ``incidents.services.sla.instants`` counts them, on the working-time calendar
for limits in working time) and its next check at the first of them: the first sweep then
takes the steps that are already due (a deployment's first minute may notify the heads
and leaders of the cases overdue at that moment, once).
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations

RUNNING = ("dispatched", "in_progress")
TICK = timedelta(microseconds=1)


def backfill(apps, schema_editor):
    from worktime import calendar

    Case = apps.get_model("incidents", "Case")
    cases = Case.objects.filter(status__in=RUNNING, deadline__isnull=False, sla_round=0).only(
        "id", "dispatched_at", "created_at", "deadline", "time_limit_unit"
    )
    changed = []
    for case in cases.iterator(chunk_size=2000):
        start = case.dispatched_at or case.created_at
        natural = case.time_limit_unit == "natural_hours"
        if natural:
            allowed = max(case.deadline - start, timedelta())
            warning_at = start + allowed * settings.SLA_WARNING_SHARE
            escalate_at = case.deadline + allowed * settings.SLA_ESCALATION_SHARE
        else:
            allowed = calendar.working_time_between(start, case.deadline)
            warning_at = calendar.add_working_time(start, allowed * settings.SLA_WARNING_SHARE).deadline
            escalate_at = calendar.add_working_time(case.deadline, allowed * settings.SLA_ESCALATION_SHARE).deadline
        case.sla_round = 1
        case.sla_started_at = start
        case.sla_warning_at = warning_at
        case.sla_escalate_at = escalate_at
        steps = [("warning", warning_at), ("overdue", case.deadline + TICK), ("escalated", escalate_at)]
        case.sla_next_check_at = next((at for step, at in steps if step in settings.SLA_STEPS), None)
        changed.append(case)
    Case.objects.bulk_update(
        changed,
        ["sla_round", "sla_started_at", "sla_warning_at", "sla_escalate_at", "sla_next_check_at"],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0008_sla_clock"),
        ("worktime", "0002_load_official_calendar"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
