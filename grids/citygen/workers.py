"""Grid workers: each township's proposed count spread over its grids, a lead in each grid."""

from __future__ import annotations

import random

from grids.choices import Employment
from grids.citygen.names import person_name, phone_number
from grids.citygen.places import NAMED_WORKERS, URBAN_CORE, TownshipRow
from grids.citygen.shapes import City, WorkerSpec
from grids.citygen.townships import split_counts


def make_workers(city: City, rows: tuple[TownshipRow, ...], rng: random.Random, scale: int) -> list[WorkerSpec]:
    workers: list[WorkerSpec] = []
    phones: set[str] = set()
    number = 0
    named_by_grid: dict[str, str] = {}
    for township in city.townships:
        for community in township.communities:
            for g_index, grid in enumerate(community.grids, start=1):
                if (community.name, g_index) in NAMED_WORKERS:
                    named_by_grid[grid.code] = NAMED_WORKERS[(community.name, g_index)][0]
    width = max(4, len(str(sum(row.workers for row in rows) * scale)))
    for township, row in zip(city.townships, rows, strict=True):
        grids = [grid for community in township.communities for grid in community.grids]
        per_grid = split_counts(row.workers * scale, len(grids))
        urban = township.name in URBAN_CORE
        for grid, count in zip(grids, per_grid, strict=True):
            for slot in range(count):
                number += 1
                is_lead = slot == 0
                name = named_by_grid[grid.code] if is_lead and grid.code in named_by_grid else person_name(rng)
                full_time = rng.random() < (0.8 if urban else 0.3)
                workers.append(
                    WorkerSpec(
                        username=f"worker{number:0{width}d}",
                        name=name,
                        phone=phone_number(rng, phones),
                        grid_code=grid.code,
                        is_lead=is_lead,
                        is_public=is_lead or rng.random() < 0.3,
                        employment=Employment.FULL_TIME if full_time else Employment.PART_TIME,
                    )
                )
    return workers
