"""`opendvc import_catalog [PATH ...]`: load the national procedure data into the catalog."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendvc.catalog.importers.run import default_paths, run_import


class Command(BaseCommand):
    help = (
        "Import procedures from JSONL files (plain or .gz): the national list, detail "
        "records, page texts and BQP records, merged by procedure code. Without PATH, reads "
        "the files shipped in CATALOG_DATA_DIR/catalog. Unchanged procedures are left alone."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="JSONL files to import")

    def handle(self, *args, paths: list[Path], verbosity: int, **options) -> None:
        paths = paths or default_paths()
        missing = [str(path) for path in paths if not path.is_file()]
        if missing:
            raise CommandError(f"File not found: {', '.join(missing)}")
        summary = run_import(
            paths,
            now=timezone.now(),
            report=lambda message: self.stderr.write(message),
            progress=verbosity > 0 and self.stderr.isatty(),
        )
        if verbosity == 0:
            return
        skipped = sum(summary.skipped.values())
        reasons = ", ".join(
            f"{reason}: {count}" for reason, count in sorted(summary.skipped.items())
        )
        self.stdout.write(
            f"Read {summary.read} lines ({summary.procedures} procedures): "
            f"created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, skipped {skipped}"
            + (f" ({reasons})" if reasons else "")
        )
        self.stdout.write(
            f"New fields {summary.fields_created}, agencies {summary.agencies_created}, "
            f"life events {summary.life_events_created}; {summary.seconds:.1f} s"
        )
