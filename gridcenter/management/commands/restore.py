"""``manage.py restore BACKUP [--database NAME] [--media-root DIR] [--force]`` (gridcenter/backups.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gridcenter.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup directory into the configured (or a named) database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a directory written by manage.py backup")
        parser.add_argument("--database", help="the database to restore into (created when missing)")
        parser.add_argument("--media-root", help="where to unpack the photos (MEDIA_ROOT by default)")
        parser.add_argument("--force", action="store_true", help="replace a database or media that is not empty")

    def handle(self, *args, **options):
        try:
            result = restore(
                Path(options["backup"]),
                database=options["database"],
                media_root=Path(options["media_root"]) if options["media_root"] else None,
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{key} {value}" for key, value in result["counts"].items())
        self.stdout.write(f"restored into {result['database']} and {result['media_root']}: {counts}")
