"""``manage.py backup [DIRECTORY]``: the database and the photos, with a manifest (gridcenter/backups.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gridcenter.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and MEDIA_ROOT into a new directory with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=str(Path(settings.BASE_DIR) / "var" / "backups"), help="where to write"
        )

    def handle(self, *args, **options):
        try:
            target = backup(Path(options["directory"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(target))
