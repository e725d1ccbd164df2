"""``manage.py import_grids FILE``: check a grid map file and (with --commit) import it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from grids.importer import FieldMap, ImportError_, import_grids


class Command(BaseCommand):
    help = (
        "Import a grid map (GeoJSON, Shapefile or .zip of one, KML) as a new generation. "
        "A dry run unless --commit; prints every defect found."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="Write the grids (default: dry run).")
        parser.add_argument(
            "--no-activate", action="store_true", help="Write the generation but keep the old one live."
        )
        parser.add_argument(
            "--srid", type=int, default=None, help="Source SRID when the file has none (4490 = CGCS2000)."
        )
        parser.add_argument(
            "--reject-invalid", action="store_true", help="Reject invalid polygons instead of repairing."
        )
        parser.add_argument("--layer", default="0", help="Layer index or name (default 0).")
        parser.add_argument("--description", default="", help="Description of the new generation.")
        parser.add_argument("--code-field", default="code")
        parser.add_argument("--name-field", default="name")
        parser.add_argument(
            "--community-field", default="", help="Field with the community code (default: from the code)."
        )
        parser.add_argument("--community-name-field", default="")
        parser.add_argument(
            "--township-field", default="", help="Field with the township code (default: from the code)."
        )
        parser.add_argument("--population-field", default="population")
        parser.add_argument("--households-field", default="households")

    def handle(self, *args, **options):
        fields = FieldMap(
            code=options["code_field"],
            name=options["name_field"],
            community=options["community_field"],
            community_name=options["community_name_field"],
            township=options["township_field"],
            population=options["population_field"],
            households=options["households_field"],
        )
        layer = int(options["layer"]) if options["layer"].isdigit() else options["layer"]

        def progress(items):
            return tqdm(items, desc="features", unit="f", file=self.stderr._out, disable=options["verbosity"] == 0)

        try:
            report = import_grids(
                options["file"],
                fields,
                commit=options["commit"],
                activate=not options["no_activate"],
                source_srid=options["srid"],
                repair=not options["reject_invalid"],
                layer=layer,
                description=options["description"],
                progress=progress,
            )
        except ImportError_ as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"source reference system: {report.source_srs}")
        for issue in report.issues:
            self.stdout.write(str(issue))
        style = self.style.SUCCESS if report.committed else self.style.WARNING
        self.stdout.write(style(report.summary()))
        if not options["commit"]:
            self.stdout.write("Dry run: nothing was written. Add --commit to import.")
