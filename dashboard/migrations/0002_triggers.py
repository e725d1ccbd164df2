"""The triggers that keep the counts of ``Tally`` / ``TallyDelta`` (see dashboard/sql.py).

The days are counted in ``settings.TIME_ZONE`` as it is when the migration runs;
``manage.py dashboard_rollups --repair`` re-creates the zone function from the current
settings and recounts.
"""

from django.conf import settings
from django.db import migrations

from dashboard import sql


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("incidents", "0004_caseevent_immutable"),
    ]

    operations = [
        migrations.RunSQL(
            sql.time_zone_sql(settings.TIME_ZONE) + sql.FUNCTIONS_SQL + sql.TRIGGERS_SQL,
            sql.DROP_SQL,
        ),
    ]
