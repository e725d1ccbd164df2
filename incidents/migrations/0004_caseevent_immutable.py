"""Timeline rows are immutable for every client of the database, not only for Django.

A row-level trigger refuses UPDATE and DELETE on incidents_caseevent (TRUNCATE, which
only a test database's flush uses, is not a row operation and stays possible).
"""

from django.db import migrations

IMMUTABLE_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION incidents_caseevent_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'incidents_caseevent rows are immutable: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER incidents_caseevent_no_update_or_delete
    BEFORE UPDATE OR DELETE ON incidents_caseevent
    FOR EACH ROW EXECUTE FUNCTION incidents_caseevent_immutable();
"""

DROP_IMMUTABLE_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS incidents_caseevent_no_update_or_delete ON incidents_caseevent;
DROP FUNCTION IF EXISTS incidents_caseevent_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_cases"),
    ]

    operations = [migrations.RunSQL(IMMUTABLE_TRIGGER_SQL, DROP_IMMUTABLE_TRIGGER_SQL)]
