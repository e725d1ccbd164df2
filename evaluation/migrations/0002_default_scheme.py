"""Version 1 of the scoring scheme: the default of evaluation.md, as it was then (frozen values)."""

from decimal import Decimal

from django.db import migrations

DEFAULT = {
    "on_time_weight": Decimal("50"),
    "handled_weight": Decimal("25"),
    "rework_weight": Decimal("10"),
    "satisfaction_weight": Decimal("15"),
    "overdue_deduction": Decimal("0.5"),
    "overdue_deduction_max": Decimal("10"),
    "shirk_deduction": Decimal("1"),
    "shirk_deduction_max": Decimal("5"),
    "green_from": Decimal("90"),
    "yellow_from": Decimal("80"),
}


def create_default(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    Scheme.objects.get_or_create(version=1, defaults={**DEFAULT, "note": "evaluation.md: the default scheme"})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
