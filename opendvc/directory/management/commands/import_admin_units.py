"""`opendvc import_admin_units [PATH]`: load the 34 provinces and 3,321 communes of 2025."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opendvc.directory.importers import (
    DEFAULT_CSV,
    DEFAULT_PORTAL_JSON,
    AdminUnitImportError,
    import_admin_units,
)


class Command(BaseCommand):
    help = "Nhập danh mục đơn vị hành chính (34 tỉnh, 3.321 xã, phường từ 01/7/2025)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CSV), help="Tệp CSV")
        parser.add_argument("--portal-json", default=str(DEFAULT_PORTAL_JSON))
        parser.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ")

    def handle(self, *args, path: str, portal_json: str, no_progress: bool, **options):
        def progress(items):
            return tqdm(items, desc="Xã, phường", unit=" đơn vị", disable=no_progress)

        try:
            summary = import_admin_units(
                path=Path(path), portal_json=Path(portal_json), progress=progress
            )
        except AdminUnitImportError as error:
            raise CommandError(
                "Không nhập được tệp, chưa lưu gì:\n" + "\n".join(error.errors)
            ) from None
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.provinces} tỉnh, {summary.communes} xã/phường: "
                f"{summary.created} tạo mới, {summary.updated} cập nhật, "
                f"{summary.unchanged} không đổi."
            )
        )
