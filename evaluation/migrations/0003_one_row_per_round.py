"""A publication's rounds, one row per round with every figure it counts in (they were one
row per subject kind, figure and round: about twenty times as many rows to write).

The rows published before are converted: each round keeps its subjects' keys, and the
figures it was listed under become its flags (a count figure listed becomes 1, which is
what its listing showed; the frozen tables' counts are in the frozen rows, unchanged).
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

_COUNTS = (
    "returned",
    "shirked",
    "rework",
    "urged",
    "extended",
    "rated",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
)
_DUE = ("due", "handled", "on_time", "late", "overdue_open")

CONVERT = f"""
INSERT INTO evaluation_round (publication_id, case_id, round_no, tracking_no, started_at, deadline, resolved_at,
    department, officer, township, community, grid, is_due, held_at_end, {", ".join(_COUNTS)}, excused)
SELECT publication_id, case_id, round_no, MAX(tracking_no), MIN(started_at), MAX(deadline), MAX(resolved_at),
    COALESCE(MAX(key) FILTER (WHERE subject = 'departments'), ''),
    MAX(key) FILTER (WHERE subject = 'officers'),
    COALESCE(MAX(key) FILTER (WHERE subject = 'townships'), ''),
    COALESCE(MAX(key) FILTER (WHERE subject = 'communities'), ''),
    COALESCE(MAX(key) FILTER (WHERE subject = 'grids'), ''),
    BOOL_OR(figure IN ({", ".join(f"'{name}'" for name in _DUE)})),
    BOOL_OR(figure = 'on_hold'),
    {", ".join(f"MAX(CASE WHEN figure = '{name}' THEN 1 ELSE 0 END)" for name in _COUNTS)},
    '{{}}'
FROM evaluation_legacyfrozenround
GROUP BY publication_id, case_id, round_no
"""  # noqa: S608 - constant SQL


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_default_scheme"),
    ]

    operations = [
        migrations.RenameModel("FrozenRound", "LegacyFrozenRound"),
        migrations.CreateModel(
            name="FrozenRound",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("round_no", models.PositiveIntegerField(verbose_name="round")),
                ("tracking_no", models.CharField(max_length=32, verbose_name="tracking number")),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("deadline", models.DateTimeField(null=True, verbose_name="deadline")),
                ("resolved_at", models.DateTimeField(null=True, verbose_name="resolved at")),
                ("department", models.CharField(max_length=32, verbose_name="department")),
                ("officer", models.CharField(max_length=150, null=True, verbose_name="officer")),
                ("township", models.CharField(max_length=32, verbose_name="township")),
                ("community", models.CharField(max_length=32, verbose_name="community")),
                ("grid", models.CharField(max_length=32, verbose_name="grid")),
                ("is_due", models.BooleanField(verbose_name="due in the period")),
                ("held_at_end", models.BooleanField(verbose_name="on hold at the end")),
                ("returned", models.PositiveIntegerField(verbose_name="returned")),
                ("shirked", models.PositiveIntegerField(verbose_name="shirked")),
                ("rework", models.PositiveIntegerField(verbose_name="rework")),
                ("urged", models.PositiveIntegerField(verbose_name="urged")),
                ("extended", models.PositiveIntegerField(verbose_name="extended")),
                ("rated", models.PositiveIntegerField(verbose_name="rated")),
                ("satisfied", models.PositiveIntegerField(verbose_name="satisfied")),
                ("basically_satisfied", models.PositiveIntegerField(verbose_name="basically satisfied")),
                ("dissatisfied", models.PositiveIntegerField(verbose_name="dissatisfied")),
                (
                    "excused",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=32), default=list, size=None, verbose_name="excused from"
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="incidents.case",
                        verbose_name="case",
                    ),
                ),
                (
                    "publication",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rounds",
                        to="evaluation.publication",
                    ),
                ),
            ],
            options={
                "verbose_name": "frozen round",
                "verbose_name_plural": "frozen rounds",
                "db_table": "evaluation_round",
                "ordering": ["publication", "started_at", "case_id", "round_no"],
                "indexes": [
                    models.Index(fields=["publication", "department"], name="evaluation_round_department"),
                    models.Index(fields=["publication", "officer"], name="evaluation_round_officer"),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("publication", "case", "round_no"), name="evaluation_round_once")
                ],
            },
        ),
        migrations.RunSQL(CONVERT, migrations.RunSQL.noop),
        migrations.DeleteModel("LegacyFrozenRound"),
    ]
