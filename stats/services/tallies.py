"""Breakdowns read from the wall screen's maintained counts where they hold the answer.

``dashboard`` keeps, per local day of report, the cases per sub-item (``sub``), per source
(``source``) and in all (``created``): trigger-written deltas folded into ``Tally``, checked
against a full count and repairable (``dashboard/rollups.py``). A breakdown of every case
(a centre role, no filter) by category, sub-item or source and/or by day, week, month or
weekday is a sum of those rows: a few thousand rows for a year instead of a scan of the
cases. Read in one statement (``Tally`` and the unfolded deltas together, one snapshot), so
it is exact at any moment, as the wall screen's own reads are.
"""

from __future__ import annotations

from django.db import connection

from accounts.roles import CENTRE_ROLES, has_role
from dashboard.choices import Bucket
from dashboard.models import Tally, TallyDelta
from stats.services.query import Query

BUCKETS = {"category": Bucket.SUBITEM, "subcategory": Bucket.SUBITEM, "source": Bucket.SOURCE}
TIMES = frozenset({"day", "week", "month", "weekday"})

# The time bucket of a tally's day, summed in the database (a year of sub-items is 73,000 rows).
TIME_SQL = {
    None: "NULL::date",
    "day": "day",
    "week": "date_trunc('week', day)::date",
    "month": "date_trunc('month', day)::date",
    "weekday": "extract(isodow FROM day)::int",
}
SQL = """
SELECT {time}, dim, code, sum(n) FROM (
    SELECT day, dim, code, n FROM {tally} WHERE bucket = %(bucket)s AND day BETWEEN %(start)s AND %(end)s
    UNION ALL
    SELECT day, dim, code, n FROM {delta} WHERE bucket = %(bucket)s AND day BETWEEN %(start)s AND %(end)s
) t GROUP BY 1, 2, 3
"""


def answers(user, query: Query) -> bool:
    """Whether the maintained counts hold this breakdown."""
    if query.filters or not has_role(user, *CENTRE_ROLES):  # a centre role sees every case
        return False
    plain = [dim for dim in query.dims if dim not in TIMES]
    times = [dim for dim in query.dims if dim in TIMES]
    return len(plain) <= 1 and len(times) <= 1 and all(dim in BUCKETS for dim in plain)


def raw_counts(query: Query) -> list[tuple[tuple, int]]:
    """``[((raw key per dimension), count)]`` as ``breakdown.raw_counts`` returns them."""
    plain = next((dim for dim in query.dims if dim not in TIMES), None)
    time = next((dim for dim in query.dims if dim in TIMES), None)
    bucket = BUCKETS[plain] if plain else Bucket.CREATED
    sql = SQL.format(time=TIME_SQL[time], tally=Tally._meta.db_table, delta=TallyDelta._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"bucket": bucket, "start": query.start, "end": query.end})
        rows = cursor.fetchall()
    counts: dict[tuple, int] = {}
    for when, dim, code, n in rows:
        key = tuple(when if name in TIMES else (dim if bucket == Bucket.SUBITEM else code) for name in query.dims)
        counts[key] = counts.get(key, 0) + int(n)
    return [(key, n) for key, n in counts.items() if n]
