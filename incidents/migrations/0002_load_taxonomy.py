"""Load the 64 major categories and 200 sub-items from incidents/data/categories.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from incidents.reference import load_taxonomy

    load_taxonomy(
        apps.get_model("incidents", "MajorCategory"),
        apps.get_model("incidents", "SubCategory"),
        apps.get_model("departments", "Department"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("departments", "0002_load_departments"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
