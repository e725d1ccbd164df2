"""Small helpers that build a hand-made history with the real domain functions, at fixed instants."""

from __future__ import annotations

from datetime import datetime, timedelta

from incidents import services
from patrols import services as field
from tests.city import TZ, jpeg, point


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A local instant of 2026 (November unless said)."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def row(rows, key):
    return next(r for r in rows if r["key"] == key)


def dispatched(city, when: datetime, department=None, **report):
    case = city.report(now=when, **report)
    return services.dispatch_case(city.dispatcher, case, department=department or city.lead, now=when)


def resolved(city, case, when: datetime):
    services.start_case(city.officer_lead, case, now=when)
    return services.resolve_case(city.officer_lead, case, note="已处理", now=when)


def self_resolved(worker, case, when: datetime):
    return services.self_resolve_case(worker, case, photos=[jpeg()], now=when)


def patrol(worker, start: datetime, minutes: float, *, grid=None, legs: int = 0, leg_deg: float = 0.004):
    """A finished patrol of ``minutes``; with ``legs``, a track walking back and forth east–west
    (``leg_deg`` of longitude each leg, ~392 m at 0.004°) so that it has a distance."""
    made = field.start_patrol(worker, grid=grid, started_at=start, now=start).patrol
    end = start + timedelta(minutes=minutes)
    if legs:
        step = timedelta(minutes=minutes) / legs
        fixes = [point(i, start + step * i, 28.255, 109.702 + leg_deg * (i % 2)) for i in range(legs + 1)]
        field.add_track_points(worker, made, fixes, now=end)
    field.stop_patrol(worker, made, now=end)
    made.refresh_from_db()
    return made
