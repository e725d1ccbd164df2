"""Reading, folding, checking and repairing the maintained counts (dashboard/models.py).

- ``read_current`` / ``read_window``: the counts now, added up from ``Tally`` and the
  unfolded ``TallyDelta`` rows in one statement each (one MVCC snapshot: exact at any time).
- ``fold``: moves the deltas into ``Tally`` (non-blocking; a second folder skips).
- ``truth``: the same counts recomputed from the cases and the timeline with the ORM,
  written independently of the triggers' SQL.
- ``check``: compares the two; ``repair``: rebuilds ``Tally`` from the truth.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as Cases
from django.db.models import CharField, Count, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from dashboard import sql
from dashboard.choices import Bucket, Punctuality
from dashboard.models import Tally, TallyDelta
from incidents.choices import CaseStatus
from incidents.models import Case, CaseEvent

logger = logging.getLogger(__name__)

Key = tuple[str, date | None, int, str]

# pg_try_advisory_xact_lock key of the folder ("dashfold" in ASCII, fits a bigint).
FOLD_LOCK = 0x64617368666F6C64
TALLY = Tally._meta.db_table
DELTA = TallyDelta._meta.db_table


# --- folding ----------------------------------------------------------------------------------


def fold() -> int:
    """Move the committed deltas into ``Tally``; returns how many delta rows were folded.

    Only the folder writes ``Tally`` rows, so transactions that change cases never wait
    on them. One statement: if another folder holds the lock, it folds nothing at once.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH lock AS (SELECT pg_try_advisory_xact_lock(%s) AS ok),
            moved AS (
                DELETE FROM {DELTA} WHERE (SELECT ok FROM lock) RETURNING bucket, day, dim, code, n
            ),
            folded AS (
                INSERT INTO {TALLY} AS tally (bucket, day, dim, code, n)
                SELECT bucket, day, dim, code, sum(n) FROM moved GROUP BY 1, 2, 3, 4
                ON CONFLICT (bucket, day, dim, code) DO UPDATE SET n = tally.n + EXCLUDED.n
                RETURNING 1
            )
            SELECT count(*) FROM moved
            """,  # noqa: S608 - table names are ours
            [FOLD_LOCK],
        )
        return cursor.fetchone()[0]


# --- reading ------------------------------------------------------------------------------------


def _rows(query: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _union(where: str) -> str:
    return (
        f"SELECT bucket, day, dim, code, n FROM {TALLY} WHERE {where} "  # noqa: S608 - our SQL
        f"UNION ALL SELECT bucket, day, dim, code, n FROM {DELTA} WHERE {where}"
    )


@dataclass(frozen=True)
class Current:
    """The counts an event changes: per status, today's flow, and one grid's statuses."""

    statuses: dict[str, int]
    today_created: int
    today_actions: dict[str, int]
    grid_statuses: dict[str, int]


def read_current(today: date, grid_id: int | None = None) -> Current:
    """The counts per status, today's reports and steps, and (optionally) one grid's counts."""
    where = (
        "(bucket = 'status' AND day IS NULL)"
        " OR (bucket IN ('created', 'action') AND day = %(today)s)"
        " OR (bucket = 'grid' AND day IS NULL AND dim = %(grid)s)"
    )
    rows = _rows(
        f"SELECT bucket, code, sum(n) FROM ({_union(where)}) t GROUP BY 1, 2",  # noqa: S608 - our SQL
        {"today": today, "grid": grid_id if grid_id is not None else -1},
    )
    statuses: dict[str, int] = {}
    actions: dict[str, int] = {}
    grid: dict[str, int] = {}
    created = 0
    for bucket, code, n in rows:
        if bucket == Bucket.STATUS:
            statuses[code] = int(n)
        elif bucket == Bucket.GRID:
            grid[code] = int(n)
        elif bucket == Bucket.ACTION:
            actions[code] = int(n)
        elif bucket == Bucket.CREATED:
            created = int(n)
    return Current(statuses, created, actions, grid)


@dataclass(frozen=True)
class Window:
    """The counts the wall screen's charts draw, over the days from ``since``."""

    statuses: dict[str, int]
    open_per_grid: dict[int, int]
    created_per_day: dict[date, int]
    actions_per_day: dict[date, dict[str, int]]
    per_subitem: dict[int, int]
    per_source: dict[str, int]
    resolved_per_department: dict[int, dict[str, int]]
    department_actions: dict[int, dict[str, int]]


def read_window(since: date) -> Window:
    """Current counts and the day buckets from ``since`` on, summed in the database."""
    where = "(day IS NULL AND bucket IN ('status', 'grid')) OR (day >= %(since)s)"
    query = f"""
        WITH t AS ({_union(where)})
        SELECT bucket, day, 0::bigint, code, sum(n) FROM t
            WHERE bucket IN ('status', 'created', 'action') GROUP BY 1, 2, 4
        UNION ALL
        SELECT bucket, NULL, dim, code, sum(n) FROM t
            WHERE bucket IN ('sub', 'source', 'resolved', 'dept') GROUP BY 1, 3, 4
        UNION ALL
        SELECT 'grid', NULL, dim, '', sum(n) FROM t
            WHERE bucket = 'grid' AND code = ANY(%(active)s) GROUP BY 3 HAVING sum(n) <> 0
    """  # noqa: S608 - our SQL
    rows = _rows(query, {"since": since, "active": sorted(CaseStatus.ACTIVE)})
    window = Window(
        statuses={},
        open_per_grid={},
        created_per_day={},
        actions_per_day=defaultdict(dict),
        per_subitem=defaultdict(int),
        per_source=defaultdict(int),
        resolved_per_department=defaultdict(dict),
        department_actions=defaultdict(dict),
    )
    for bucket, day, dim, code, n in rows:
        n = int(n)
        if bucket == Bucket.STATUS:
            window.statuses[code] = n
        elif bucket == Bucket.GRID:
            window.open_per_grid[dim] = n
        elif bucket == Bucket.CREATED:
            window.created_per_day[day] = n
        elif bucket == Bucket.ACTION:
            window.actions_per_day[day][code] = n
        elif bucket == Bucket.SUBITEM:
            window.per_subitem[dim] += n
        elif bucket == Bucket.SOURCE:
            window.per_source[code] += n
        elif bucket == Bucket.RESOLVED:
            window.resolved_per_department[dim][code] = n
        elif bucket == Bucket.DEPT_ACTION:
            window.department_actions[dim][code] = n
    return window


def maintained() -> dict[Key, int]:
    """Every count as the rollups have it (non-zero ones), folded or not."""
    rows = _rows(
        f"SELECT bucket, day, dim, code, sum(n) FROM ({_union('TRUE')}) t GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0",  # noqa: S608
        {},
    )
    return {(bucket, day, dim, code): int(n) for bucket, day, dim, code, n in rows}


# --- the truth, counted from the cases and the timeline -----------------------------------------


def truth() -> dict[Key, int]:
    """Every count recomputed with the ORM over the cases and the timeline."""
    tz = timezone.get_current_timezone()
    cases = Case.objects.order_by()
    created = cases.annotate(d=TruncDate("created_at", tzinfo=tz))
    counts: dict[Key, int] = {}

    def add(rows: Iterable[tuple], bucket: Bucket, shape) -> None:
        for row in rows:
            day, dim, code = shape(row)
            counts[(bucket.value, day, dim, code)] = row[-1]

    add(cases.values_list("status").annotate(n=Count("id")), Bucket.STATUS, lambda r: (None, 0, r[0]))
    add(cases.values_list("grid_id", "status").annotate(n=Count("id")), Bucket.GRID, lambda r: (None, r[0], r[1]))
    add(created.values_list("d").annotate(n=Count("id")), Bucket.CREATED, lambda r: (r[0], 0, ""))
    add(created.values_list("d", "subcategory_id").annotate(n=Count("id")), Bucket.SUBITEM, lambda r: (r[0], r[1], ""))
    add(created.values_list("d", "source").annotate(n=Count("id")), Bucket.SOURCE, lambda r: (r[0], 0, r[1]))
    punctuality = Cases(
        When(Q(deadline__isnull=False) & Q(resolved_at__gt=F("deadline")), then=Value(Punctuality.LATE.value)),
        default=Value(Punctuality.ON_TIME.value),
        output_field=CharField(),
    )
    resolved = (
        cases.filter(resolved_at__isnull=False, lead_department__isnull=False)
        .annotate(d=TruncDate("resolved_at", tzinfo=tz), p=punctuality)
        .values_list("d", "lead_department_id", "p")
        .annotate(n=Count("id"))
    )
    add(resolved, Bucket.RESOLVED, lambda r: (r[0], r[1], r[2]))
    events = CaseEvent.objects.order_by().annotate(d=TruncDate("created_at", tzinfo=tz))
    add(events.values_list("d", "action").annotate(n=Count("id")), Bucket.ACTION, lambda r: (r[0], 0, r[1]))
    add(
        events.filter(department__isnull=False).values_list("d", "department_id", "action").annotate(n=Count("id")),
        Bucket.DEPT_ACTION,
        lambda r: (r[0], r[1], r[2]),
    )
    return {key: n for key, n in counts.items() if n}


@dataclass(frozen=True)
class Difference:
    key: Key
    maintained: int
    truth: int

    def __str__(self) -> str:
        bucket, day, dim, code = self.key
        return f"{bucket} day={day or '-'} dim={dim} code={code or '-'}: kept {self.maintained}, true {self.truth}"


def _compare(kept: dict[Key, int], true: dict[Key, int]) -> list[Difference]:
    keys = sorted(set(kept) | set(true), key=lambda k: (k[0], k[1] or date.min, k[2], k[3]))
    return [Difference(key, kept.get(key, 0), true.get(key, 0)) for key in keys if kept.get(key, 0) != true.get(key, 0)]


def check() -> list[Difference]:
    """The counts on which the rollups and the truth disagree (empty: all agree).

    Runs in one REPEATABLE READ transaction when it can (outside any transaction), so
    concurrent case changes do not show up as false differences.
    """
    if connection.in_atomic_block:
        return _compare(maintained(), truth())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _compare(maintained(), truth())


def repair() -> list[Difference]:
    """Rebuild ``Tally`` from the truth; returns the differences that were corrected.

    Takes a SHARE lock on the cases and the timeline for the duration (changes wait, reads
    do not), so nothing slips between the count and the rewrite. Also re-creates the
    zone function from ``settings.TIME_ZONE``.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Case._meta.db_table}, {CaseEvent._meta.db_table} IN SHARE MODE")
        cursor.execute(sql.time_zone_sql(settings.TIME_ZONE))
        true = truth()
        differences = _compare(maintained(), true)
        cursor.execute(f"DELETE FROM {DELTA}")  # noqa: S608
        cursor.execute(f"DELETE FROM {TALLY}")  # noqa: S608
        Tally.objects.bulk_create(
            (Tally(bucket=bucket, day=day, dim=dim, code=code, n=n) for (bucket, day, dim, code), n in true.items()),
            batch_size=5000,
        )
    if differences:
        logger.warning("dashboard rollups repaired: %d counts were wrong", len(differences))
    return differences


def days_back(today: date, days: int) -> list[date]:
    """The ``days`` local days ending with ``today``, oldest first."""
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


__all__ = [
    "Current",
    "Difference",
    "Window",
    "check",
    "days_back",
    "fold",
    "maintained",
    "read_current",
    "read_window",
    "repair",
    "truth",
]
