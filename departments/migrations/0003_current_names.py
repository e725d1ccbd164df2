"""One name per department: ``name`` is today's (the wall screen showed it, the other pages
showed the pre-2019 one); the pre-2019 name stays on record in ``former_name``."""

from django.db import migrations, models


def to_current_names(apps, schema_editor):
    Department = apps.get_model("departments", "Department")
    for department in Department.objects.exclude(name_modern=""):
        if department.name_modern != department.name:
            department.former_name = department.name
            department.name = department.name_modern
            department.save(update_fields=["name", "former_name"])


def to_former_names(apps, schema_editor):
    Department = apps.get_model("departments", "Department")
    for department in Department.objects.all():
        department.name_modern = department.name
        if department.former_name:
            department.name = department.former_name
        department.save(update_fields=["name", "name_modern"])


class Migration(migrations.Migration):
    dependencies = [("departments", "0002_load_departments")]

    operations = [
        migrations.AddField(
            model_name="department",
            name="former_name",
            field=models.CharField(
                blank=True,
                help_text="Name before the 2019 reform of the city's bureaus.",
                max_length=60,
                verbose_name="former name",
            ),
        ),
        migrations.AlterField(
            model_name="department",
            name="name",
            field=models.CharField(help_text="Today's name, shown on every page.", max_length=60, verbose_name="name"),
        ),
        migrations.RunPython(to_current_names, to_former_names),
        migrations.RemoveField(model_name="department", name="name_modern"),
    ]
