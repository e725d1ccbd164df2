"""Township, community and grid figures (属地, ``evaluation.md``): the department figures over
the rounds of the cases located in the unit, whatever department handled them, plus
``reports_per_worker`` and ``cases_per_1000``.

A case is located in the grid it was filed in (``Case.grid``, set when it is reported and
never moved: a redrawn map does not move old cases, MapIt's rule), and so in that grid's
community and township. The rules this module adds where ``evaluation.md`` is silent:

* Rows: every township and every community, keyed by code; every grid of the active map,
  keyed by grid code, and any grid code of an older map with rounds in the period. Rounds
  are grouped by grid code, so a grid redrawn under the same code is one subject.
* **上报 per grid worker** (``reports_per_worker``): grid workers' reports (``report`` rows
  in P by a grid worker, errands excepted as in the worker figures) located in the unit,
  divided by the active grid workers serving the unit's grids of the active map (a worker
  serving two of its grids counts once); ``None`` without such a worker.
* **Cases per 1,000 residents** (``cases_per_1000``): cases reported in P located in the unit
  (every source, errands excepted) × 1,000 / the unit's population: the sum of the
  populations of its grids of the active map. A grid's population of 0 means "not known",
  and a unit with any grid not known has no population: ``None``.
* Ranks, bands and the no-score rule are the departments'.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from django.db import connection

from evaluation.periods import Period
from evaluation.services import figures, rounds, scoring
from evaluation.services.worker_sql import ERRAND
from grids.models import Community, Grid, Township
from patrols.choices import ERRAND_MAJOR_CODE

# Each kind's unit of a grid row (aliases ``grid`` and ``community``).
_UNITS = {"townships": "community.township_id", "communities": "grid.community_id", "grids": "grid.code"}

# The period's reports per grid (with its community and township), for every kind at once.
_REPORTS = f"""
WITH {rounds.TIMELINE_CTE}
SELECT grid.code, grid.community_id, community.township_id,
    COUNT(*) FILTER (WHERE r.actor_role = 'grid_worker' AND r.actor_id IS NOT NULL) AS worker_reports,
    COUNT(*) AS cases
FROM period_timeline r
-- the case by its key, one lookup a report (a join would read every case of the city)
CROSS JOIN LATERAL (SELECT x.subcategory_id, x.grid_id FROM incidents_case x WHERE x.id = r.case_id OFFSET 0) c
JOIN incidents_subcategory s ON s.id = c.subcategory_id
JOIN grids_grid grid ON grid.id = c.grid_id
JOIN grids_community community ON community.id = grid.community_id
WHERE r.action = 'report' AND r.created_at >= %(start)s AND r.created_at < %(until)s AND NOT ({{errand}})
GROUP BY grid.code, grid.community_id, community.township_id
"""  # noqa: S608 - constant SQL

_PEOPLE = """
WITH units AS (
    SELECT grid.id AS grid_id, {unit} AS key, grid.population
    FROM grids_grid grid
    JOIN grids_generation v ON v.id = grid.generation_id AND v.is_active
    JOIN grids_community community ON community.id = grid.community_id
),
people AS (
    SELECT u.key, COUNT(DISTINCT gw.id) AS workers
    FROM units u
    JOIN grids_gridworker_grids m ON m.grid_id = u.grid_id
    JOIN grids_gridworker gw ON gw.id = m.gridworker_id
    JOIN auth_user a ON a.id = gw.user_id AND a.is_active
    GROUP BY u.key
)
SELECT p.key, p.population, p.known, COALESCE(people.workers, 0)
FROM (SELECT key, SUM(population) AS population, BOOL_AND(population > 0) AS known FROM units GROUP BY key) p
LEFT JOIN people ON people.key = p.key
"""


def _grid_reports(period: Period) -> list[tuple]:
    """``[(grid code, community id, township id, worker reports, cases)]`` of the period."""
    params: dict[str, datetime | str] = {
        **rounds.timeline_params(period.start, period.end),
        "start": period.start,
        "until": period.end,
        "errands": ERRAND_MAJOR_CODE + "%",
    }
    with connection.cursor() as cursor:
        cursor.execute(rounds.with_timeline(_REPORTS.format(errand=ERRAND), period.start, period.end), params)
        return cursor.fetchall()


def extras(period: Period, kind: str) -> dict[object, dict]:
    """``{unit key: {"reports_per_worker", "cases_per_1000"}}`` for the units of ``kind``."""
    reports: Counter = Counter()
    unit_of = {"grids": 0, "communities": 1, "townships": 2}[kind]
    for row in rounds.memo(("area_reports", period.key), lambda: _grid_reports(period)):
        reports[(row[unit_of], "worker_reports")] += row[3]
        reports[(row[unit_of], "cases")] += row[4]
    with connection.cursor() as cursor:
        cursor.execute(_PEOPLE.format(unit=_UNITS[kind]))
        people = {key: (population, known, workers) for key, population, known, workers in cursor.fetchall()}
    found = {}
    for key in {unit for unit, _name in reports} | set(people):
        worker_reports, cases = reports[(key, "worker_reports")], reports[(key, "cases")]
        population, known, workers = people.get(key, (0, False, 0))
        found[key] = {
            "reports_per_worker": scoring.ratio(worker_reports, workers),
            "cases_per_1000": scoring.ratio(cases * 1000, int(population)) if known else None,
        }
    return found


def _rows(
    period: Period, kind: str, subjects: Sequence[tuple[object, dict]], found: dict, scheme: scoring.Scheme
) -> list[dict]:
    """The department figures' rows of the units, with the two figures of their own."""
    rows = figures.scored_rows(subjects, found, scheme)
    more = extras(period, kind)
    empty = {"reports_per_worker": None, "cases_per_1000": None}
    for (pk, _identity), row in zip(subjects, rows, strict=True):
        row.update(more.get(pk, empty))
    return rows


def townships(period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME) -> list[dict]:
    """Every township and sub-district, keyed by code: the rounds of the cases located in it."""
    subjects = [(t.pk, {"key": t.code, "name": t.name}) for t in Township.objects.order_by("code")]
    return _rows(period, "townships", subjects, figures.counts(period, figures.TOWNSHIPS), scheme)


def communities(period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME) -> list[dict]:
    """Every community and village, keyed by code (with its township's code)."""
    units = Community.objects.select_related("township").order_by("code")
    subjects = [(c.pk, {"key": c.code, "name": c.name, "township": c.township.code}) for c in units]
    return _rows(period, "communities", subjects, figures.counts(period, figures.COMMUNITIES), scheme)


def grids(period: Period, scheme: scoring.Scheme = scoring.DEFAULT_SCHEME) -> list[dict]:
    """Every grid of the active map, and any older grid code with rounds, keyed by grid code."""
    found = figures.counts(period, figures.GRIDS)
    named: dict[str, Grid] = {g.code: g for g in Grid.objects.active().select_related("community")}
    older = Grid.objects.filter(code__in=[code for code in found if code not in named]).select_related("community")
    for grid in older.order_by("code", "-generation_id"):
        named.setdefault(grid.code, grid)
    subjects: list[tuple[object, dict]] = [
        (code, {"key": code, "name": grid.name, "community": grid.community.code})
        for code, grid in sorted(named.items())
    ]
    return _rows(period, "grids", subjects, found, scheme)
