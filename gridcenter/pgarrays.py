"""PostgreSQL array literals for ``unnest(%s::type[])`` parameters of bulk statements.

psycopg2 sends a Python list as ``ARRAY[v1, v2, ...]``: one constant the server parses per
element, which for the SLA sweep's batches of thousands costs more than the statement's
work. One text literal (``'{1,2,3}'``, cast to the array type) is parsed in one go. The
literal is still a bound parameter: nothing is spliced into the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime


def int_array(values: Iterable[int | None]) -> str:
    """``{1,2,NULL}`` for integers (``None``: NULL)."""
    return "{" + ",".join("NULL" if value is None else str(int(value)) for value in values) + "}"


def time_array(values: Iterable[datetime | None]) -> str:
    """``{"2026-11-30T10:30:00+08:00",NULL}`` for aware datetimes."""
    return "{" + ",".join("NULL" if value is None else f'"{value.isoformat()}"' for value in values) + "}"


def text_array(values: Iterable[str | None]) -> str:
    """``{"a","b \\"quoted\\"",NULL}`` for strings (quotes and backslashes escaped)."""
    return "{" + ",".join("NULL" if value is None else _quoted(value) for value in values) + "}"


def _quoted(value: str) -> str:
    if "\\" in value or '"' in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'
