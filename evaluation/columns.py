"""The columns of the evaluation's tables, for the pages and the Excel exports alike.

Tables are built from the rows' own keys (``evaluation.services.read.rows``), so a kind
of subject added later (grid workers, the centre, communities, grids) gets its table
with no change here beyond a label: a row is its identity (``key``, ``name``, for an
officer their ``department``), its figures and rates in the order of the definitions,
then ``score``, ``band`` and ``rank``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import pgettext_lazy

from evaluation.choices import AreaFigure, Band, Figure, Rate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

IDENTITY = ("key", "name", "department")
TAIL = ("score", "band", "rank")
# The columns of a table with no rows (the department figures of the definitions).
DEFAULT_VALUES = [*Figure.values, "avg_handling_hours", *Rate.values]

# The kinds of subject in the order the pages and the workbook show them; others follow.
SUBJECT_ORDER = ["departments", "officers", "workers", "townships", "communities", "grids", "centre"]
# Labels carry the context "evaluation": their words (处置, 退回, 督办 …) mean something else elsewhere.
SUBJECT_LABELS: dict[str, StrOrPromise] = {
    "departments": pgettext_lazy("evaluation", "Departments"),
    "officers": pgettext_lazy("evaluation", "Officers"),
    "workers": pgettext_lazy("evaluation", "Grid workers"),
    "townships": pgettext_lazy("evaluation", "Townships"),
    "communities": pgettext_lazy("evaluation", "Communities"),
    "grids": pgettext_lazy("evaluation", "Grids"),
    "centre": pgettext_lazy("evaluation", "The centre"),
}
# What a row's ``key`` is, per kind (the API repeats it under this name).
KEY_NAMES = {
    "departments": "code",
    "officers": "username",
    "workers": "username",
    "townships": "code",
    "communities": "code",
    "grids": "code",
}
KEY_LABELS: dict[str, StrOrPromise] = {
    "code": pgettext_lazy("evaluation", "Code"),
    "username": pgettext_lazy("evaluation", "Username"),
}

LABELS: dict[str, StrOrPromise] = {
    "rank": pgettext_lazy("evaluation", "Rank"),
    "name": pgettext_lazy("evaluation", "Name"),
    "department": pgettext_lazy("evaluation", "Department"),
    # The department figures, in the order of ``evaluation.choices.Figure``.
    "due": pgettext_lazy("evaluation", "Due"),
    "handled": pgettext_lazy("evaluation", "Handled"),
    "on_time": pgettext_lazy("evaluation", "Handled on time"),
    "late": pgettext_lazy("evaluation", "Handled late"),
    "overdue_open": pgettext_lazy("evaluation", "Overdue, not handled"),
    "returned": pgettext_lazy("evaluation", "Returned"),
    "shirked": pgettext_lazy("evaluation", "Shirked"),
    "rework": pgettext_lazy("evaluation", "Rework"),
    "urged": pgettext_lazy("evaluation", "Urged"),
    "extended": pgettext_lazy("evaluation", "Extended"),
    "on_hold": pgettext_lazy("evaluation", "On hold"),
    "rated": pgettext_lazy("evaluation", "Rated"),
    "satisfied": pgettext_lazy("evaluation", "Satisfied"),
    "basically_satisfied": pgettext_lazy("evaluation", "Basically satisfied"),
    "dissatisfied": pgettext_lazy("evaluation", "Dissatisfied"),
    "avg_handling_hours": pgettext_lazy("evaluation", "Mean handling time (working hours)"),
    "on_time_rate": pgettext_lazy("evaluation", "On-time rate"),
    "handled_rate": pgettext_lazy("evaluation", "Handled rate"),
    "rework_rate": pgettext_lazy("evaluation", "Rework rate"),
    "satisfaction_rate": pgettext_lazy("evaluation", "Satisfaction rate"),
    "score": pgettext_lazy("evaluation", "Score"),
    "band": pgettext_lazy("evaluation", "Band"),
    # Grid workers (``evaluation.md``, "Grid-worker figures").
    "reports": pgettext_lazy("evaluation", "Reports"),
    "valid_reports": pgettext_lazy("evaluation", "Valid reports"),
    "self_resolved": pgettext_lazy("evaluation", "Solved on the spot"),
    "verifications": pgettext_lazy("evaluation", "Verifications"),
    "verified_on_time": pgettext_lazy("evaluation", "Verified on time"),
    "patrol_days_met": pgettext_lazy("evaluation", "Days of full patrol"),
    "working_days": pgettext_lazy("evaluation", "Working days"),
    "diary_entries": pgettext_lazy("evaluation", "Diary entries"),
    "errands_done": pgettext_lazy("evaluation", "Errands done"),
    "valid_rate": pgettext_lazy("evaluation", "Valid report rate"),
    "patrol_rate": pgettext_lazy("evaluation", "Patrol rate"),
    "verify_rate": pgettext_lazy("evaluation", "On-time verification rate"),
    # The centre ("The centre's own figures").
    "accepted": pgettext_lazy("evaluation", "Accepted"),
    "accepted_on_time": pgettext_lazy("evaluation", "Accepted on time"),
    "dispatched": pgettext_lazy("evaluation", "Dispatched"),
    "misdispatched": pgettext_lazy("evaluation", "Misdispatched"),
    "dispatch_accuracy": pgettext_lazy("evaluation", "Dispatch accuracy"),
    "reviewed": pgettext_lazy("evaluation", "Reviewed"),
    "reviewed_on_time": pgettext_lazy("evaluation", "Reviewed on time"),
    # townships, communities and grids
    **{figure.value: figure.label for figure in AreaFigure},
}
BAND_LABELS: dict[str, StrOrPromise] = {
    Band.GREEN: pgettext_lazy("evaluation", "Excellent"),
    Band.YELLOW: pgettext_lazy("evaluation", "Good"),
    Band.RED: pgettext_lazy("evaluation", "Needs improvement"),
}
# A month's state (``read.periods``).
STATE_LABELS: dict[str, StrOrPromise] = {
    "provisional": pgettext_lazy("evaluation", "Provisional"),
    "published": pgettext_lazy("evaluation", "Published"),
}
PERCENT_KEYS = frozenset({"dispatch_accuracy"})
HOURS_KEYS = frozenset({"avg_handling_hours"})


def ordered_subjects(subjects: Sequence[str]) -> list[str]:
    known = [subject for subject in SUBJECT_ORDER if subject in subjects]
    return known + sorted(subject for subject in subjects if subject not in SUBJECT_ORDER)


def subject_label(subject: str) -> StrOrPromise:
    return SUBJECT_LABELS.get(subject, subject)


def key_name(subject: str) -> str:
    return KEY_NAMES.get(subject, "key")


def label(key: str, subject: str = "") -> StrOrPromise:
    if key == "key":
        return KEY_LABELS.get(key_name(subject), KEY_LABELS["code"])
    return LABELS.get(key, key)


def state_label(state: str | None) -> StrOrPromise:
    return STATE_LABELS.get(state or "provisional", state or "")


def band_label(band: str | None) -> StrOrPromise:
    return BAND_LABELS.get(band, band) if band else ""


def identity_columns(rows: Sequence[dict]) -> list[str]:
    present = set(rows[0]) if rows else {"key", "name"}
    return [key for key in IDENTITY if key in present]


def value_columns(rows: Sequence[dict]) -> list[str]:
    """The figures and rates of the rows, in their order (the department figures when there are none)."""
    if not rows:
        return list(DEFAULT_VALUES)
    found = [key for key in rows[0] if key not in IDENTITY and key not in TAIL]
    # In the labels' order: a published row comes back from jsonb with its keys reordered.
    order = {key: position for position, key in enumerate(LABELS)}
    return sorted(found, key=lambda key: order.get(key, len(order)))


def is_rate(key: str) -> bool:
    return key.endswith("_rate") or key in PERCENT_KEYS


def is_hours(key: str) -> bool:
    return key in HOURS_KEYS
