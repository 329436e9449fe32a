"""`opendvc setup_demo_province`: the demo province's agencies and one-stop desks."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opendvc.directory.demo import DemoSetupError, setup_demo_province


class Command(BaseCommand):
    help = (
        "Tạo các cơ quan, bộ phận một cửa của tỉnh trình diễn (mặc định mã "
        "OPENDVC_DEMO_PROVINCE_CODE) và liên kết với cơ quan chung trong danh mục TTHC."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", default=None, help="Mã tỉnh (mặc định theo cấu hình)")

    def handle(self, *args, province: str | None, **options):
        code = province or settings.DEMO_PROVINCE_CODE
        try:
            summary = setup_demo_province(province_code=code)
        except DemoSetupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Tỉnh {code}: {summary.created} cơ quan tạo mới, {summary.updated} cập nhật, "
                f"{summary.unchanged} không đổi; {summary.linked} cơ quan đã liên kết với "
                f"cơ quan chung; {summary.desks_created} bộ phận một cửa tạo mới, "
                f"{summary.desks_updated} cập nhật."
            )
        )
