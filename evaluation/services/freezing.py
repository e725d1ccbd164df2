"""Writing a publication's frozen rows and rounds, and copying them into a later version.

Rows are the dicts ``read.compute`` returns, stored whole (``FrozenRow.data``) with their
key, score and rank. Rounds are written in one ``INSERT … SELECT`` from the timeline
(``rounds.PER_ROUND_CTE``): every round behind every round-based figure
(``read.ROUND_FIGURES``) of every subject kind that names its rounds' key
(``read.ROUND_KEYS``). A later version copies the previous one in SQL, less the items
an upheld appeal removed, and rescores the subject kinds those items counted in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from evaluation.models import FrozenRow, Publication
from evaluation.periods import Period
from evaluation.services import read, scoring
from evaluation.services.rounds import per_round_cte, period_params
from gridcenter.pgarrays import int_array, text_array


@dataclass(frozen=True)
class Item:
    """One counted item: a round (case and round number) behind one figure."""

    figure: str
    case_id: int
    round_no: int


_FREEZE_ROUNDS = """
WITH {cte},
hits AS (
    SELECT p.*, f.figure
    FROM per_round p
    CROSS JOIN LATERAL unnest(%(figures)s::text[], ARRAY[{conditions}]::boolean[]) AS f(figure, hit)
    WHERE f.hit
)
INSERT INTO evaluation_frozenround
    (publication_id, subject, key, figure, case_id, round_no, tracking_no, started_at, deadline, resolved_at)
{selects}
"""

_SELECT_ROUNDS = """
SELECT %(publication)s, %(subject_{index})s, ({key})::text, p.figure, p.case_id, p.round_no, c.tracking_no,
       p.started_at, p.deadline, p.resolved_at
FROM hits p
JOIN incidents_case c ON c.id = p.case_id
{join}
"""


def freeze_rows(publication: Publication, computed: dict[str, list[dict]]) -> int:
    """Store each subject kind's rows as computed; the number stored."""
    frozen = [
        FrozenRow(
            publication=publication,
            subject=subject,
            key=str(row.get("key", "")),
            position=position,
            score=row.get("score"),
            rank=row.get("rank"),
            data=row,
        )
        for subject, found in computed.items()
        for position, row in enumerate(found)
    ]
    FrozenRow.objects.bulk_create(frozen, batch_size=2000)
    return len(frozen)


def freeze_rounds(publication: Publication, period: Period, subjects: Sequence[str]) -> int:
    """Insert the rounds behind every figure of ``subjects`` (those with a ``ROUND_KEYS`` entry)."""
    if not subjects:
        return 0
    figures = list(read.ROUND_FIGURES)
    selects: list[str] = []
    params: dict[str, Any] = {**period_params(period.start, period.end), "publication": publication.pk}
    for index, subject in enumerate(subjects):
        key, join = read.ROUND_KEYS[subject]
        selects.append(_SELECT_ROUNDS.format(index=index, key=key, join=join))
        params[f"subject_{index}"] = subject
    params["figures"] = text_array(figures)
    conditions = ", ".join(f"({read.ROUND_FIGURES[figure]})" for figure in figures)
    sql = _FREEZE_ROUNDS.format(
        cte=per_round_cte(period.start, period.end), conditions=conditions, selects="UNION ALL".join(selects)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# The items removed, as rows ``(figure, case_id, round_no)``.
_COPY_ROUNDS = """
INSERT INTO evaluation_frozenround
    (publication_id, subject, key, figure, case_id, round_no, tracking_no, started_at, deadline, resolved_at)
SELECT %(target)s, r.subject, r.key, r.figure, r.case_id, r.round_no, r.tracking_no, r.started_at, r.deadline,
       r.resolved_at
FROM evaluation_frozenround r
WHERE r.publication_id = %(source)s
  AND (r.figure, r.case_id, r.round_no) NOT IN (
      SELECT * FROM unnest(%(figures)s::text[], %(cases)s::bigint[], %(round_nos)s::integer[]))
"""

_REMOVED_COUNTS = """
SELECT r.subject, r.key, r.figure, COUNT(*)
FROM evaluation_frozenround r
WHERE r.publication_id = %(source)s
  AND (r.figure, r.case_id, r.round_no) IN (
      SELECT * FROM unnest(%(figures)s::text[], %(cases)s::bigint[], %(round_nos)s::integer[]))
GROUP BY r.subject, r.key, r.figure
"""


def _removed_params(items: Iterable[Item]) -> dict[str, str]:
    items = list(items)
    return {
        "figures": text_array(item.figure for item in items),
        "cases": int_array(item.case_id for item in items),
        "round_nos": int_array(item.round_no for item in items),
    }


def copy_without(source: Publication, target: Publication, items: Sequence[Item], scheme: scoring.Scheme) -> int:
    """Copy ``source``'s rows and rounds into ``target`` less ``items``: each item leaves its
    figure's rounds and count in every subject kind it counted in, and those kinds are rescored.
    The number of counts decreased."""
    params: dict[str, Any] = {**_removed_params(items), "source": source.pk, "target": target.pk}
    with connection.cursor() as cursor:
        cursor.execute(_REMOVED_COUNTS, params)
        removed = Counter({(subject, key, figure): count for subject, key, figure, count in cursor.fetchall()})
        cursor.execute(_COPY_ROUNDS, params)
    computed: dict[str, list[dict]] = {}
    for frozen in FrozenRow.objects.filter(publication=source).order_by("subject", "position"):
        computed.setdefault(frozen.subject, []).append(frozen.data)
    for subject in {subject for subject, _key, _figure in removed}:
        found = computed.get(subject, [])
        for row in found:
            for (kind, key, figure), count in removed.items():
                if kind == subject and key == str(row.get("key", "")):
                    row[figure] = max(0, row[figure] - count)
        scoring.rescore(found, scheme)
    freeze_rows(target, computed)
    return sum(removed.values())
