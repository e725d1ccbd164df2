"""``manage.py dashboard_rollups``: check the wall screen's maintained counts against the truth.

Exit status 1 when they disagree (so a cron job or CI notices); ``--repair`` rebuilds them;
``--fold`` only folds the pending changes.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dashboard import rollups


class Command(BaseCommand):
    help = "Compare the wall screen's maintained counts with a count over the cases; --repair rebuilds them."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--repair", action="store_true", help="Rebuild the counts from the cases and the timeline.")
        action.add_argument("--fold", action="store_true", help="Only fold the pending changes into the counts.")

    def handle(self, *args, repair: bool, fold: bool, **options):
        started = time.perf_counter()
        if fold:
            self.stdout.write(f"folded {rollups.fold()} changes in {time.perf_counter() - started:.2f} s")
            return
        if repair:
            fixed = rollups.repair()
            for difference in fixed[:50]:
                self.stdout.write(f"  fixed {difference}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"rebuilt the counts ({len(fixed)} were wrong) in {time.perf_counter() - started:.2f} s"
                )
            )
            return
        differences = rollups.check()
        for difference in differences[:50]:
            self.stdout.write(f"  {difference}")
        if differences:
            raise CommandError(f"{len(differences)} counts disagree with the cases: run with --repair")
        self.stdout.write(self.style.SUCCESS(f"all counts agree ({time.perf_counter() - started:.2f} s)"))
