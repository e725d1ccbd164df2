"""Rates, scores, bands and ranks of the default scheme (``evaluation.md``, "The default scheme").

Pure: figures in, numbers out. A rate whose denominator is 0 is ``None`` ("no data"); a
component with no data gives its weight to the others in proportion (``weighted``); a
subject with no due rounds has no score, band or rank. Grid workers are scored by the same
rules with their own weights (``worker_score``): a worker has no score only when none of
the four rates has data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.choices import Band


@dataclass(frozen=True)
class Scheme:
    """Weights, deductions and band limits (the centre may edit them; each edit is a version)."""

    on_time_weight: float = 50
    handled_weight: float = 25
    rework_weight: float = 10  # earned by (1 − rework rate)
    satisfaction_weight: float = 15
    overdue_deduction: float = 0.5  # per overdue open round
    overdue_deduction_max: float = 10
    shirk_deduction: float = 1  # per shirked return
    shirk_deduction_max: float = 5
    # Grid workers: 40·有效上报率 + 20·巡查达标率 + 20·按时核查率 + 20·满意率 (evaluation.md).
    worker_valid_weight: float = 40
    worker_patrol_weight: float = 20
    worker_verify_weight: float = 20
    worker_satisfaction_weight: float = 20
    green_from: float = 90
    yellow_from: float = 80
    version: int = 0
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_model(cls, row: Any) -> Scheme:
        """The scheme of a stored version (``evaluation.models.Scheme``: the same field names)."""
        values: dict[str, Any] = {name: float(getattr(row, name)) for name in SCHEME_FIELDS}
        return cls(**values, version=row.version)

    def values(self) -> dict[str, float]:
        """The editable numbers, by name (``SCHEME_FIELDS``)."""
        return {name: getattr(self, name) for name in SCHEME_FIELDS}


DEFAULT_SCHEME = Scheme()

# The numbers a leader may edit (each edit is a new version: ``evaluation.models.Scheme``).
SCHEME_FIELDS = (
    "on_time_weight",
    "handled_weight",
    "rework_weight",
    "satisfaction_weight",
    "overdue_deduction",
    "overdue_deduction_max",
    "shirk_deduction",
    "shirk_deduction_max",
    "green_from",
    "yellow_from",
)


def ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def satisfaction_rate(satisfied: int, basically_satisfied: int, rated: int) -> float | None:
    """满意率 = (满意 + 0.5 × 基本满意) / 回访."""
    return ratio(satisfied + 0.5 * basically_satisfied, rated)


def rates(figures: Mapping[str, int]) -> dict[str, float | None]:
    return {
        "on_time_rate": ratio(figures["on_time"], figures["due"]),
        "handled_rate": ratio(figures["handled"], figures["due"]),
        "rework_rate": ratio(figures["rework"], figures["handled"]),
        "satisfaction_rate": satisfaction_rate(figures["satisfied"], figures["basically_satisfied"], figures["rated"]),
    }


def weighted(components: Sequence[tuple[float, float | None]]) -> float | None:
    """Points earned by ``(weight, rate)`` components, out of their total weight: a component
    without data (``None``) gives its weight to the others in proportion; ``None`` when none has data."""
    total_weight = sum(weight for weight, _value in components)
    with_data = [(weight, value) for weight, value in components if value is not None]
    data_weight = sum(weight for weight, _value in with_data)
    if not data_weight:
        return None
    return sum(weight * value for weight, value in with_data) * (total_weight / data_weight)


def score(figures: Mapping[str, int], rated: Mapping[str, float | None], scheme: Scheme = DEFAULT_SCHEME):
    """The score out of 100 (``None`` for a subject with no due rounds)."""
    if not figures["due"]:
        return None
    rework = rated["rework_rate"]
    earned = weighted(
        [
            (scheme.on_time_weight, rated["on_time_rate"]),
            (scheme.handled_weight, rated["handled_rate"]),
            (scheme.rework_weight, None if rework is None else 1 - rework),
            (scheme.satisfaction_weight, rated["satisfaction_rate"]),
        ]
    )
    deductions = min(scheme.overdue_deduction_max, scheme.overdue_deduction * figures["overdue_open"]) + min(
        scheme.shirk_deduction_max, scheme.shirk_deduction * figures["shirked"]
    )
    return max(0.0, min(100.0, (earned or 0.0) - deductions))


def worker_score(rated: Mapping[str, float | None], scheme: Scheme = DEFAULT_SCHEME) -> float | None:
    """A grid worker's score out of 100 (``None`` when none of the four rates has data)."""
    earned = weighted(
        [
            (scheme.worker_valid_weight, rated["valid_rate"]),
            (scheme.worker_patrol_weight, rated["patrol_rate"]),
            (scheme.worker_verify_weight, rated["verify_rate"]),
            (scheme.worker_satisfaction_weight, rated["satisfaction_rate"]),
        ]
    )
    return None if earned is None else max(0.0, min(100.0, earned))


def band(value: float | None, scheme: Scheme = DEFAULT_SCHEME) -> Band | None:
    if value is None:
        return None
    if value >= scheme.green_from:
        return Band.GREEN
    return Band.YELLOW if value >= scheme.yellow_from else Band.RED


def rank(rows: Iterable[dict], key: str = "key", tie: str = "on_time_rate") -> None:
    """Set ``rank`` on each row: by score, ties by the rate ``tie`` (on-time rate for departments,
    officers and areas; valid-report rate for grid workers), then by ``key``; none without a score."""
    scored = [row for row in rows if row["score"] is not None]
    scored.sort(key=lambda row: (-row["score"], -(row[tie] or 0), str(row[key])))
    for position, row in enumerate(scored, start=1):
        row["rank"] = position


def rescore(rows: list[dict], scheme: Scheme = DEFAULT_SCHEME, key: str = "key") -> None:
    """Recompute the rates, score, band and rank of rows whose counts changed (an upheld appeal)."""
    for row in rows:
        rated = rates(row)
        value = score(row, rated, scheme)
        row.update(rated, score=value, band=band(value, scheme), rank=None)
    rank(rows, key=key)
