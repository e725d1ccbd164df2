"""Load the 21 departments from departments/data/departments.csv (adds missing ones only)."""

from django.db import migrations


def load(apps, schema_editor):
    from departments.reference import load_departments

    load_departments(apps.get_model("departments", "Department"))


class Migration(migrations.Migration):
    dependencies = [("departments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
