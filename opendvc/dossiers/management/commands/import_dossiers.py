"""`opendvc import_dossiers FILE.jsonl`: load a legacy system's past dossiers (format in
docs/formats/dossiers.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opendvc.dossiers.importing.run import MAX_BATCH_SIZE, FileError, ImportSummary, run_import


class Command(BaseCommand):
    help = (
        "Import historical dossiers from a JSONL file (plain or .gz), one dossier per line. "
        "Bad lines are reported on stderr with their number and skipped; dossiers whose code "
        "is already here are left alone, so running the same file twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the .jsonl or .jsonl.gz file")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help=f"dossiers per transaction, 1–{MAX_BATCH_SIZE} (1000)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count everything, write nothing"
        )

    def handle(self, *args, path: Path, batch_size: int, dry_run: bool, **options) -> None:
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise CommandError(f"--batch-size phải từ 1 đến {MAX_BATCH_SIZE}")
        verbosity = options["verbosity"]
        try:
            summary = run_import(
                path,
                now=timezone.now(),
                batch_size=batch_size,
                dry_run=dry_run,
                report=lambda number, reason: self.stderr.write(f"{path.name}:{number}: {reason}"),
                progress=verbosity > 0 and self.stderr.isatty(),
            )
        except FileError as error:
            if error.summary and error.summary.imported:
                self._summary(error.summary, dry_run)
            raise CommandError(str(error)) from None
        if verbosity > 0:
            self._summary(summary, dry_run)

    def _summary(self, summary: ImportSummary, dry_run: bool) -> None:
        verb = "sẽ nhập (chạy thử, không ghi gì)" if dry_run else "đã nhập"
        self.stdout.write(
            f"Đọc {summary.read} dòng: {verb} {summary.imported}, "
            f"đã có {summary.already}, bị loại {summary.rejected} "
            f"({summary.seconds:.1f} s, {summary.rate:.0f} hồ sơ/s)."
        )
