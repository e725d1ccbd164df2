"""The index that answers a breakdown over a period with an index-only scan: the cases by
reported time, carrying the columns a breakdown groups and filters by (stats.services.breakdown).

On incidents_case, written here because it serves the statistics only; built CONCURRENTLY so
that a deployment does not block case writes while it builds.
"""

from django.db import migrations

INDEX = "stats_case_reported"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("incidents", "0009_sla_backfill")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON incidents_case (created_at) "
            "INCLUDE (subcategory_id, source, grid_id, lead_department_id, status, id)",
            f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}",
        )
    ]
