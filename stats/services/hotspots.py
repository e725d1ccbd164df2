"""Hotspots (高发): what rises most against the previous period, the places reported again and
again, and the density of reports for the heat map."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, F, FloatField, Func, IntegerField
from django.db.models.functions import Cast, Round, Trim

from stats.services.breakdown import Compared, compare
from stats.services.query import Query, cases

# The heat map's cell: about 500 m in Jishou (degrees of latitude/longitude).
HEAT_CELL = 0.005


def rising(user, query: Query, dim: str, limit: int | None = None) -> list[Compared]:
    """The values of ``dim`` whose count rose most against the previous period (环比), largest
    rise first; only the ones that rose."""
    rows = [row for row in compare(user, query.with_dims(dim)) if row.count > row.previous]
    rows.sort(key=lambda row: (-(row.count - row.previous), -row.count, row.items[0].label))
    return rows[: limit or settings.STATS_HOTSPOTS]


@dataclass
class Repeat:
    address: str
    grid: str
    count: int
    case_ids: list[int]
    tracking_nos: list[str]


def repeats(user, query: Query, limit: int | None = None) -> list[Repeat]:
    """Addresses (in the same grid) reported at least ``STATS_REPEAT_MIN`` times in the period,
    most reported first, each with its newest cases."""
    shown = settings.STATS_REPEAT_CASES
    rows = (
        cases(user, query)
        .exclude(address="")
        .order_by()
        .annotate(place=Trim("address"))
        .values("place", "grid__name")
        .annotate(
            n=Count("*"),
            ids=ArrayAgg("id", order_by=("-created_at", "-id")),
            numbers=ArrayAgg("tracking_no", order_by=("-created_at", "-id")),
        )
        .filter(n__gte=settings.STATS_REPEAT_MIN)
        .order_by("-n", "place")[: limit or settings.STATS_HOTSPOTS]
    )
    return [
        Repeat(row["place"], row["grid__name"], row["n"], row["ids"][:shown], row["numbers"][:shown]) for row in rows
    ]


def heat(user, query: Query) -> list[list[float]]:
    """``[[lat, lng, count], ...]``: the period's reports counted per cell of about 500 m."""
    lat = Cast(Round(Func(F("location"), function="ST_Y", output_field=FloatField()) / HEAT_CELL), IntegerField())
    lng = Cast(Round(Func(F("location"), function="ST_X", output_field=FloatField()) / HEAT_CELL), IntegerField())
    rows = (
        cases(user, query)
        .order_by()
        .annotate(y=lat, x=lng)
        .values("y", "x")
        .annotate(n=Count("*"))
        .order_by("-n")[: settings.STATS_HEAT_CELLS]
    )
    return [[round(row["y"] * HEAT_CELL, 5), round(row["x"] * HEAT_CELL, 5), row["n"]] for row in rows]
