"""The taxonomy's reference data, kept in incidents/data/categories.csv (64 / 200).

``load_taxonomy`` may run again: it adds the categories that are missing and leaves
administrators' edits alone. (The data migration 0002 carries a frozen copy of it and the rows.)
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from incidents.choices import TimeLimitUnit, Urgency

DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.csv"

_LIMIT = re.compile(r"^(?P<amount>\d+(?:\.\d+)?)(?P<unit>H|WH|WD)$")
_UNITS = {"H": TimeLimitUnit.NATURAL_HOURS, "WH": TimeLimitUnit.WORKING_HOURS, "WD": TimeLimitUnit.WORKING_DAYS}
_URGENCY = {"紧急": Urgency.URGENT, "一般": Urgency.NORMAL}


@dataclass(frozen=True)
class TimeLimit:
    amount: Decimal
    unit: TimeLimitUnit


def parse_limit(raw: str) -> TimeLimit:
    """``"4H"`` → 4 natural hours, ``"2WH"`` → 2 working hours, ``"3WD"`` → 3 working days."""
    match = _LIMIT.match(raw.strip().upper())
    if not match:
        raise ValueError(f"unknown time limit {raw!r}: expected N followed by H, WH or WD")
    amount = Decimal(match["amount"])
    if amount <= 0:
        raise ValueError(f"time limit {raw!r} must be positive")
    return TimeLimit(amount, _UNITS[match["unit"]])


def read_categories(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def load_taxonomy(major_model: Any = None, sub_model: Any = None, department_model: Any = None) -> tuple[int, int]:
    """Create the missing major categories and sub-items; return how many of each."""
    historical = major_model is not None  # called by a migration with historical models
    if not historical:
        from departments.models import Department as department_model
        from incidents.models import MajorCategory as major_model
        from incidents.models import SubCategory as sub_model
    rows = read_categories()
    departments = {d.code: d for d in department_model.objects.all()}
    missing_departments = sorted({row["dept_code"] for row in rows} - set(departments))
    if missing_departments:
        raise ValueError(f"categories.csv names unknown departments: {', '.join(missing_departments)}")

    majors = {m.code: m for m in major_model.objects.all()}
    new_majors = []
    for row in rows:
        if row["major_code"] not in majors:
            major = major_model(code=row["major_code"], name=row["major_name"], domain=row["domain"])
            majors[major.code] = major
            new_majors.append(major)
    major_model.objects.bulk_create(new_majors)
    majors = {m.code: m for m in major_model.objects.all()}

    existing = set(sub_model.objects.values_list("code", flat=True))
    new_subs = []
    for row in rows:
        if row["sub_code"] in existing:
            continue
        limit = parse_limit(row["limit_raw"])
        new_subs.append(
            sub_model(
                major=majors[row["major_code"]],
                code=row["sub_code"],
                name=row["sub_name"],
                lead_department=departments[row["dept_code"]],
                limit_amount=limit.amount,
                limit_unit=limit.unit.value,
                urgency=_URGENCY[row["level"]].value,
                closing_criterion=row["close_criteria"],
            )
        )
    sub_model.objects.bulk_create(new_subs)
    if (new_majors or new_subs) and not historical:
        from incidents.catalog import invalidate_category_tree

        invalidate_category_tree()  # bulk inserts send no signals
    return len(new_majors), len(new_subs)
