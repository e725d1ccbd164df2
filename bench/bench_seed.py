"""The demo city's seeder (``manage.py seed_demo``): time to write it from nothing, and to run
it again on a database that has it (the second run keeps the map and only checks the rest).

Runs in a benchmark database of its own (``BENCH_SEED_DB``, default ``gridcenter_bench_seed``,
created with the migrations and kept between runs); the city is deleted before each run, so
every run measures a first seeding. Its lines of progress are printed with their times.
The figure to compare with: the first seeding used to be held under 30 s by a test.
"""

from __future__ import annotations

import os
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction

DATABASE = os.environ.get("BENCH_SEED_DB", "gridcenter_bench_seed")


def use_database(name: str) -> None:
    """Switch the default connection to the benchmark database (created if needed)."""
    connection.close()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("ORIGINAL_NAME", settings_dict["NAME"])
    settings_dict["NAME"] = settings_dict["ORIGINAL_NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)


def clear_city() -> None:
    from grids.management.commands.generate_city import clear_map

    with transaction.atomic():
        clear_map()
        get_user_model().objects.filter(username__startswith="worker").delete()


def main() -> None:
    from grids import demo
    from grids.models import Camera, Grid, GridWorker

    use_database(DATABASE)
    print(f"database {DATABASE}")
    clear_city()
    for run in ("first seeding (empty database)", "second seeding (the city is there)"):
        started = time.perf_counter()
        demo.seed("bench-only-password", lambda line: print(f"    {line}"))
        elapsed = time.perf_counter() - started
        print(f"  {run}: {elapsed:.1f} s")
    print(
        f"  {Grid.objects.count():,} grids, {GridWorker.objects.count():,} grid workers, "
        f"{Camera.objects.count():,} cameras"
    )
    connection.close()
