"""Writing a publication's frozen rows and rounds, and copying them into a later version.

Rows are the dicts ``read.compute`` returns, stored whole (``FrozenRow.data``) with their
key, score and rank, in one ``INSERT … SELECT`` from one JSON document. Rounds are written
in one ``INSERT … SELECT`` from the timeline (``rounds.per_round_cte``): one row per round
behind any round-based figure (``read.ROUND_FIGURES``), with the key of its subject of each
kind (``read.FROZEN_KEYS``) and what it counts in. A later version copies the previous one in SQL, each item an upheld
appeal removed marked as excused on its round, and rescores the subject kinds those items
counted in.
"""

from __future__ import annotations

import json
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


_COLUMNS = (
    "case_id, round_no, tracking_no, started_at, deadline, resolved_at, department, officer, township, community, "
    "grid, is_due, held_at_end, returned, shirked, rework, urged, extended, rated, satisfied, basically_satisfied, "
    "dissatisfied"
)

_FREEZE_ROUNDS = f"""
WITH {{cte}}
INSERT INTO evaluation_round (publication_id, {_COLUMNS}, excused)
SELECT %(publication)s, p.case_id, p.round_no, p.tracking_no, p.started_at, p.deadline, p.resolved_at,
    d.code, u.username, t.code, community.code, p.grid_code, p.is_due, p.held_at_end, p.returned, p.shirked,
    p.rework, p.urged, p.extended, p.rated, p.satisfied, p.basically_satisfied, p.dissatisfied, '{{{{}}}}'
FROM per_round p
JOIN departments_department d ON d.id = p.department_id
LEFT JOIN auth_user u ON u.id = p.officer_id
JOIN grids_township t ON t.id = p.township_id
JOIN grids_community community ON community.id = p.community_id
WHERE {{any}}
"""  # noqa: S608 - constant SQL


# Every row in one statement: one JSON document, encoded as the model's field encodes ``data``.
_FREEZE_ROWS = """
INSERT INTO evaluation_frozenrow (publication_id, subject, key, position, score, rank, data)
SELECT %(publication)s, r.subject, r.key, r.position, r.score, r.rank, r.data
FROM jsonb_to_recordset(%(rows)s::jsonb)
    AS r(subject text, key text, position integer, score double precision, rank integer, data jsonb)
"""


def freeze_rows(publication: Publication, computed: dict[str, list[dict]]) -> int:
    """Store each subject kind's rows as computed; the number stored."""
    frozen = [
        {
            "subject": subject,
            "key": str(row.get("key", "")),
            "position": position,
            "score": row.get("score"),
            "rank": row.get("rank"),
            "data": row,
        }
        for subject, found in computed.items()
        for position, row in enumerate(found)
    ]
    encoder = FrozenRow._meta.get_field("data").encoder
    with connection.cursor() as cursor:
        cursor.execute(_FREEZE_ROWS, {"publication": publication.pk, "rows": json.dumps(frozen, cls=encoder)})
    return len(frozen)


def freeze_rounds(publication: Publication, period: Period) -> int:
    """Insert the period's rounds behind any figure; the number inserted."""
    params: dict[str, Any] = {**period_params(period.start, period.end), "publication": publication.pk}
    any_figure = " OR ".join(f"({condition})" for condition in read.ROUND_FIGURES.values())
    sql = _FREEZE_ROUNDS.format(cte=per_round_cte(period.start, period.end), any=any_figure)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# The rounds of ``source`` into ``target``, with the figures of the removed items (rows of
# ``(figure, case_id, round_no)``) added to their ``excused``.
_COPY_ROUNDS = f"""
INSERT INTO evaluation_round (publication_id, {_COLUMNS}, excused)
SELECT %(target)s, {_COLUMNS}, r.excused || COALESCE(ARRAY(
    SELECT i.figure FROM unnest(%(figures)s::text[], %(cases)s::bigint[], %(round_nos)s::integer[])
        AS i(figure, case_id, round_no)
    WHERE i.case_id = r.case_id AND i.round_no = r.round_no AND NOT i.figure = ANY(r.excused)), '{{}}')
FROM evaluation_round r
WHERE r.publication_id = %(source)s
"""  # noqa: S608 - constant SQL

# How much a figure of one round counts: 1, or the round's number of them.
_COUNT_FIGURES = {
    "returned",
    "shirked",
    "rework",
    "urged",
    "extended",
    "rated",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
}

_ITEM = """
SELECT {keys}, {amount} FROM evaluation_round p
WHERE p.publication_id = %(source)s AND p.case_id = %(case)s AND p.round_no = %(round_no)s AND {condition}
"""


def _params(items: Iterable[Item]) -> dict[str, str]:
    items = list(items)
    return {
        "figures": text_array(item.figure for item in items),
        "cases": int_array(item.case_id for item in items),
        "round_nos": int_array(item.round_no for item in items),
    }


def _removed(source: Publication, items: Sequence[Item]) -> Counter:
    """``{(subject kind, key, figure): count}`` the items took out of ``source``'s rows (an
    item not counted there, or excused already, takes out nothing)."""
    kinds = [kind for kind in read.FROZEN_KEYS if kind in source.round_subjects]
    removed: Counter = Counter()
    with connection.cursor() as cursor:
        for item in items:  # an appeal's one item, or a few
            condition = read.ROUND_FIGURES.get(item.figure)
            if condition is None or not kinds:
                continue
            amount = f"p.{item.figure}" if item.figure in _COUNT_FIGURES else "1"
            keys = ", ".join(f"p.{read.FROZEN_KEYS[kind]}" for kind in kinds)
            cursor.execute(
                _ITEM.format(keys=keys, amount=amount, condition=condition),
                {"source": source.pk, "case": item.case_id, "round_no": item.round_no},
            )
            for *keys_found, count in cursor.fetchall():
                for kind, key in zip(kinds, keys_found, strict=True):
                    if key:
                        removed[(kind, key, item.figure)] += count
    return removed


def copy_without(source: Publication, target: Publication, items: Sequence[Item], scheme: scoring.Scheme) -> int:
    """Copy ``source``'s rows and rounds into ``target`` less ``items``: each item leaves its
    figure's rounds and count in every subject kind it counted in, and those kinds are rescored.
    The number of counts decreased."""
    removed = _removed(source, items)
    with connection.cursor() as cursor:
        cursor.execute(_COPY_ROUNDS, {**_params(items), "source": source.pk, "target": target.pk})
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
