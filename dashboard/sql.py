"""The SQL of the maintained counts: the triggers' functions, and the time-zone function.

Migration 0002 carries a frozen copy of it as it first was (a change here goes into a new
migration); kept here because ``dashboard.rollups.repair`` re-creates
``dashboard_time_zone()`` from the settings, and the tests read the trigger names.
Every statement-level trigger reads its transition table once, so a bulk
``INSERT ... SELECT`` of a million cases costs one aggregate, not a million calls.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

CASE_TABLE = "incidents_case"
EVENT_TABLE = "incidents_caseevent"
TRIGGERS = (
    (CASE_TABLE, "dashboard_cases_inserted"),
    (CASE_TABLE, "dashboard_cases_updated"),
    (CASE_TABLE, "dashboard_cases_deleted"),
    (EVENT_TABLE, "dashboard_events_inserted"),
)

_ZONE_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")


def time_zone_sql(zone: str) -> str:
    """``dashboard_time_zone()``: the zone whose calendar days the day buckets use."""
    if not _ZONE_NAME.match(zone):
        raise ValueError(f"not a time-zone name: {zone!r}")
    ZoneInfo(zone)  # raises for an unknown zone
    return (
        "CREATE OR REPLACE FUNCTION dashboard_time_zone() RETURNS text"
        f" LANGUAGE sql IMMUTABLE AS $$ SELECT '{zone}'::text $$;"
    )


# The counts one case row contributes, as a function of the row alone: the triggers add
# them for new rows, subtract them for old ones, and so keep every count equal to a
# count over the cases.
FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION dashboard_local_day(ts timestamptz) RETURNS date
LANGUAGE sql STABLE AS $$ SELECT (ts AT TIME ZONE dashboard_time_zone())::date $$;

CREATE OR REPLACE FUNCTION dashboard_case_tallies(
    p_status text, p_grid bigint, p_sub bigint, p_source text, p_created timestamptz,
    p_department bigint, p_resolved timestamptz, p_deadline timestamptz
) RETURNS TABLE (bucket text, day date, dim bigint, code text)
LANGUAGE sql STABLE AS $$
    SELECT 'status', NULL::date, 0::bigint, p_status
    UNION ALL SELECT 'grid', NULL::date, p_grid, p_status
    UNION ALL SELECT 'created', dashboard_local_day(p_created), 0::bigint, ''
    UNION ALL SELECT 'sub', dashboard_local_day(p_created), p_sub, ''
    UNION ALL SELECT 'source', dashboard_local_day(p_created), 0::bigint, p_source
    UNION ALL SELECT 'resolved', dashboard_local_day(p_resolved), p_department,
        CASE WHEN p_deadline IS NOT NULL AND p_resolved > p_deadline THEN 'late' ELSE 'on_time' END
        WHERE p_resolved IS NOT NULL AND p_department IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION dashboard_cases_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_tallydelta (bucket, day, dim, code, n)
    SELECT t.bucket, t.day, t.dim, t.code, count(*)
    FROM new_rows r
    CROSS JOIN LATERAL dashboard_case_tallies(
        r.status, r.grid_id, r.subcategory_id, r.source, r.created_at,
        r.lead_department_id, r.resolved_at, r.deadline) t
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_cases_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_tallydelta (bucket, day, dim, code, n)
    SELECT t.bucket, t.day, t.dim, t.code, sum(c.sign)
    FROM (
        WITH changed AS (
            SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.status, o.grid_id, o.subcategory_id, o.source, o.created_at,
                   o.lead_department_id, o.resolved_at, o.deadline)
                  IS DISTINCT FROM
                  (n.status, n.grid_id, n.subcategory_id, n.source, n.created_at,
                   n.lead_department_id, n.resolved_at, n.deadline)
        )
        SELECT -1 AS sign, o.status, o.grid_id, o.subcategory_id, o.source, o.created_at,
               o.lead_department_id, o.resolved_at, o.deadline
        FROM old_rows o WHERE o.id IN (SELECT id FROM changed)
        UNION ALL
        SELECT 1, n.status, n.grid_id, n.subcategory_id, n.source, n.created_at,
               n.lead_department_id, n.resolved_at, n.deadline
        FROM new_rows n WHERE n.id IN (SELECT id FROM changed)
    ) c
    CROSS JOIN LATERAL dashboard_case_tallies(
        c.status, c.grid_id, c.subcategory_id, c.source, c.created_at,
        c.lead_department_id, c.resolved_at, c.deadline) t
    GROUP BY 1, 2, 3, 4
    HAVING sum(c.sign) <> 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_cases_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_tallydelta (bucket, day, dim, code, n)
    SELECT t.bucket, t.day, t.dim, t.code, -count(*)
    FROM old_rows r
    CROSS JOIN LATERAL dashboard_case_tallies(
        r.status, r.grid_id, r.subcategory_id, r.source, r.created_at,
        r.lead_department_id, r.resolved_at, r.deadline) t
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_tallydelta (bucket, day, dim, code, n)
    SELECT t.bucket, t.day, t.dim, t.code, count(*)
    FROM new_rows e
    CROSS JOIN LATERAL (
        SELECT 'action'::text, dashboard_local_day(e.created_at), 0::bigint, e.action::text
        UNION ALL
        SELECT 'dept'::text, dashboard_local_day(e.created_at), e.department_id, e.action::text
        WHERE e.department_id IS NOT NULL
    ) t (bucket, day, dim, code)
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;
"""

TRIGGERS_SQL = """
CREATE TRIGGER dashboard_cases_inserted AFTER INSERT ON incidents_case
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_cases_inserted();
CREATE TRIGGER dashboard_cases_updated AFTER UPDATE ON incidents_case
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_cases_updated();
CREATE TRIGGER dashboard_cases_deleted AFTER DELETE ON incidents_case
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_cases_deleted();
CREATE TRIGGER dashboard_events_inserted AFTER INSERT ON incidents_caseevent
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION dashboard_events_inserted();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS dashboard_cases_inserted ON incidents_case;
DROP TRIGGER IF EXISTS dashboard_cases_updated ON incidents_case;
DROP TRIGGER IF EXISTS dashboard_cases_deleted ON incidents_case;
DROP TRIGGER IF EXISTS dashboard_events_inserted ON incidents_caseevent;
DROP FUNCTION IF EXISTS dashboard_events_inserted();
DROP FUNCTION IF EXISTS dashboard_cases_deleted();
DROP FUNCTION IF EXISTS dashboard_cases_updated();
DROP FUNCTION IF EXISTS dashboard_cases_inserted();
DROP FUNCTION IF EXISTS dashboard_case_tallies(
    text, bigint, bigint, text, timestamptz, bigint, timestamptz, timestamptz);
DROP FUNCTION IF EXISTS dashboard_local_day(timestamptz);
DROP FUNCTION IF EXISTS dashboard_time_zone();
"""
