"""The reference list of departments, kept in departments/data/departments.csv.

``load_departments`` may be run again: it adds missing departments, gives a department still
under its pre-2019 name its current one (keeping the former in ``former_name``) and leaves
administrators' other edits alone. (The data migration 0002 carries a frozen copy of the
loader and the rows with their former names; 0003 renames them.)
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "departments.csv"
FIELDS = ("name", "former_name", "name_en", "main_matters")


def read_departments(path: Path = DATA_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def load_departments(department_model: Any = None) -> int:
    """Create the departments that do not exist yet; return how many were created."""
    if department_model is None:
        from departments.models import Department as department_model
    existing = set(department_model.objects.values_list("code", flat=True))
    new = [
        department_model(code=row["code"], **{field: row[field] for field in FIELDS})
        for row in read_departments()
        if row["code"] not in existing
    ]
    department_model.objects.bulk_create(new)
    rename_former(department_model, read_departments())
    return len(new)


def rename_former(department_model: Any, rows: list[dict[str, str]]) -> None:
    """Departments still under their former name take the current one; the former is kept."""
    for row in rows:
        if row["former_name"]:
            department_model.objects.filter(code=row["code"], name=row["former_name"]).update(
                name=row["name"], former_name=row["former_name"]
            )
