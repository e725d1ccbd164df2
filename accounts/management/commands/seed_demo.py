"""Load the demo city: ``manage.py seed_demo`` (idempotent; ``make run`` calls it)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

# Each app's seeder, in dependency order; each is idempotent on its own.
SEEDERS = [
    "accounts.demo.seed",
    "grids.demo.seed",
    "departments.demo.seed",
    "incidents.demo.seed",  # the case history, through the domain functions (about a minute)
    "evaluation.demo.seed",  # every month of that history that is over, published
]


class Command(BaseCommand):
    help = "Create the demo city and its accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Password for every demo account (DEMO_PASSWORD).")

    def handle(self, *args, password=None, **options):
        password = password or settings.DEMO_PASSWORD
        for dotted in SEEDERS:
            with transaction.atomic():
                import_string(dotted)(password=password, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo city ready."))
