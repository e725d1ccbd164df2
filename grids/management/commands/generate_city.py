"""``manage.py generate_city --scale N``: a synthetic city N times the demo city (for benchmarks).

``manage.py seed_demo`` stays the entry point for the demo city (scale 1); this command
writes any scale and seed, into an empty grid map or, with ``--replace``, instead of the
present one (refused if cases were filed in its grids).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from grids.citygen import DEFAULT_SEED, generate_city
from grids.demo import write_city
from grids.models import Camera, Community, Generation, Grid, GridWorker, Township


def clear_map() -> None:
    """Delete the whole grid map (not the workers' user accounts)."""
    Camera.objects.all().delete()
    GridWorker.objects.all().delete()
    Grid.objects.all().delete()
    Community.objects.all().delete()
    Township.objects.all().delete()
    Generation.objects.all().delete()


class Command(BaseCommand):
    help = "Generate a synthetic city (the demo city at --scale 1; ~100,000 grids at --scale 146)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--replace", action="store_true", help="Delete the present grid map first.")
        parser.add_argument("--map-only", action="store_true", help="No grid workers or cameras.")
        parser.add_argument("--password", default=None, help="Password of the worker accounts (DEMO_PASSWORD).")

    def handle(self, *args, scale, seed, replace, map_only, password, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if Grid.objects.exists() and not replace:
            raise CommandError("A grid map exists; add --replace to delete it first.")
        started = time.perf_counter()
        city = generate_city(seed=seed, scale=scale, people=not map_only)
        self.stdout.write(f"generated {len(city.grids()):,} grids in {time.perf_counter() - started:.1f} s")
        try:
            with transaction.atomic():
                if replace:
                    clear_map()
                write_city(city, make_password(password or settings.DEMO_PASSWORD), self.stdout.write)
        except ProtectedError as error:
            raise CommandError("Cases were filed in the present grids; not replacing them.") from error
        self.stdout.write(self.style.SUCCESS(f"city written in {time.perf_counter() - started:.1f} s"))
