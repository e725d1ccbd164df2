"""``manage.py publish_evaluation YYYY-MM`` (or ``--previous``): publish a month that is over."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluation.periods import parse_period, period_of
from evaluation.services import publishing, read
from gridcenter.errors import DomainError


class Command(BaseCommand):
    help = "Publish a month's evaluation (frozen rows, rounds and scheme version); harmless if already published."

    def add_arguments(self, parser) -> None:
        parser.add_argument("period", nargs="?", help="the month, YYYY-MM")
        parser.add_argument("--previous", action="store_true", help="the month before the current one")

    def handle(self, *args, period: str | None = None, previous: bool = False, **options) -> None:
        if bool(period) == previous:
            raise CommandError("Give a month (YYYY-MM) or --previous.")
        now = timezone.now()
        try:
            month = period_of(now).previous() if previous else parse_period(period or "", now=now)
            before = read.publication(month)
            publication = publishing.publish(month, now=now)
        except DomainError as error:
            raise CommandError(error.message) from None
        if before is not None:
            self.stdout.write(f"{month}: already published (newest version {before.version}); nothing changed.")
            return
        self.stdout.write(
            f"{month}: published as version {publication.version} "
            f"({publication.rows.count()} rows, {publication.rounds.count()} rounds, "
            f"scheme version {publication.scheme.version})."
        )
