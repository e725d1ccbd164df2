"""Access records are never changed, and deleted only when old, for every client of the database.

A row-level trigger refuses UPDATE, and refuses DELETE unless the transaction set
``gridcenter.access_record_days`` (``accounts.services.access.prune`` does, from
``ACCESS_RECORD_DAYS``) and the row is older than that many days. TRUNCATE, which only a
test database's flush uses, is not a row operation and stays possible.
"""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION accounts_accessrecord_guard() RETURNS trigger AS $$
DECLARE
    keep_days integer := NULLIF(current_setting('gridcenter.access_record_days', true), '')::integer;
BEGIN
    IF TG_OP = 'DELETE' AND keep_days >= 1 AND OLD.at < now() - make_interval(days => keep_days) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'accounts_accessrecord rows are immutable: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_accessrecord_no_update_or_delete
    BEFORE UPDATE OR DELETE ON accounts_accessrecord
    FOR EACH ROW EXECUTE FUNCTION accounts_accessrecord_guard();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS accounts_accessrecord_no_update_or_delete ON accounts_accessrecord;
DROP FUNCTION IF EXISTS accounts_accessrecord_guard();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_access_record"),
    ]

    operations = [migrations.RunSQL(TRIGGER_SQL, DROP_TRIGGER_SQL)]
