"""Patrol coverage per grid per day: patrolled or not, minutes and distance.

Computed by one query over the day's patrols (not their points): a patrol counts in a
day for the part of it inside the day (one crossing midnight is split), its distance in
proportion; an open patrol counts up to its last track point. A grid is "patrolled" on a
day with at least ``DAILY_PATROL_MINUTES`` (the local rule: 30). Grids are those of the
active map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from grids.services import SIMPLIFIED_PRECISION
from patrols.choices import CoverageLevel
from patrols.limits import DAILY_PATROL_MINUTES

# Patrols are searched from this long before the day (one may start the evening before).
LONGEST_PATROL = timedelta(days=1)


@dataclass(frozen=True)
class GridCoverage:
    grid_id: int
    code: str
    name: str
    community: str
    township_code: str
    township: str
    patrols: int
    workers: int
    minutes: float
    distance_m: float
    geometry: str | None = None  # GeoJSON text, only when asked for

    @property
    def patrolled(self) -> bool:
        return self.minutes >= DAILY_PATROL_MINUTES

    @property
    def level(self) -> CoverageLevel:
        if self.patrolled:
            return CoverageLevel.DONE
        return CoverageLevel.SHORT if self.patrols else CoverageLevel.NONE


_COVERAGE = """
    SELECT g.id, g.code, g.name, c.name, t.code, t.name,
           COALESCE(day.patrols, 0), COALESCE(day.workers, 0), COALESCE(day.seconds, 0), COALESCE(day.metres, 0),
           CASE WHEN %(geometry)s THEN ST_AsGeoJSON(
               CASE WHEN %(tolerance)s > 0 THEN ST_SimplifyPreserveTopology(g.boundary, %(tolerance)s)
                    ELSE g.boundary END,
               %(precision)s) END
    FROM grids_grid g
    JOIN grids_generation v ON v.id = g.generation_id AND v.is_active
    JOIN grids_community c ON c.id = g.community_id
    JOIN grids_township t ON t.id = c.township_id
    LEFT JOIN (
        SELECT p.grid_id, COUNT(*) AS patrols, COUNT(DISTINCT p.worker_id) AS workers,
               SUM(part.seconds) AS seconds,
               SUM(CASE WHEN part.total > 0 THEN p.distance_m * part.seconds / part.total
                        ELSE p.distance_m END) AS metres
        FROM patrols_patrol p
        CROSS JOIN LATERAL (
            SELECT GREATEST(0, EXTRACT(EPOCH FROM
                       LEAST(COALESCE(p.ended_at, p.last_point_at, p.started_at), %(end)s)
                       - GREATEST(p.started_at, %(start)s))) AS seconds,
                   EXTRACT(EPOCH FROM COALESCE(p.ended_at, p.last_point_at, p.started_at) - p.started_at) AS total
        ) part
        WHERE p.started_at >= %(earliest)s AND p.started_at < %(end)s
          AND COALESCE(p.ended_at, p.last_point_at, p.started_at) >= %(start)s
        GROUP BY p.grid_id
    ) day ON day.grid_id = g.id
    WHERE (%(township)s::text IS NULL OR t.code = %(township)s)
      AND (%(grid_ids)s::bigint[] IS NULL OR g.id = ANY(%(grid_ids)s))
    ORDER BY g.code
"""


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a local (Asia/Shanghai) day, as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def grid_coverage(
    day: date | None = None,
    *,
    township: str | None = None,
    grid_ids: list[int] | None = None,
    geometry: bool = False,
    tolerance: float = 0.0,
) -> list[GridCoverage]:
    """Coverage of every grid of the active map (or of a township, or of some grids) on ``day``."""
    day = day or timezone.localdate()
    start, end = day_bounds(day)
    params = {
        "start": start,
        "end": end,
        "earliest": start - LONGEST_PATROL,
        "township": township,
        "grid_ids": list(grid_ids) if grid_ids is not None else None,
        "geometry": geometry,
        "tolerance": tolerance,
        "precision": SIMPLIFIED_PRECISION if tolerance > 0 else 7,
    }
    with connection.cursor() as cursor:
        cursor.execute(_COVERAGE, params)
        rows = cursor.fetchall()
    return [
        GridCoverage(
            grid_id=row[0],
            code=row[1],
            name=row[2],
            community=row[3],
            township_code=row[4],
            township=row[5],
            patrols=row[6],
            workers=row[7],
            minutes=round(float(row[8]) / 60, 1),
            distance_m=round(float(row[9])),
            geometry=row[10],
        )
        for row in rows
    ]


def unpatrolled(day: date | None = None, **filters) -> list[GridCoverage]:
    """Grids with less than the daily minimum of patrol on ``day`` (today by default)."""
    return [item for item in grid_coverage(day, **filters) if not item.patrolled]


def coverage_geojson(day: date | None = None, *, tolerance: float = 0.0, township: str | None = None) -> str:
    """The coverage layer of the wall-screen map: each grid's polygon with its figures."""
    features = []
    for item in grid_coverage(day, township=township, geometry=True, tolerance=tolerance):
        properties = {
            "code": item.code,
            "name": item.name,
            "township": item.township,
            "patrols": item.patrols,
            "minutes": item.minutes,
            "distance_m": item.distance_m,
            "patrolled": item.patrolled,
            "level": item.level.value,
        }
        features.append(
            f'{{"type":"Feature","id":{item.grid_id},"geometry":{item.geometry},'
            f'"properties":{json.dumps(properties, ensure_ascii=False, separators=(",", ":"))}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
