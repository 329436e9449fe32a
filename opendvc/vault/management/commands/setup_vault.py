from django.core.management.base import BaseCommand

from opendvc.vault.models import DocumentType
from opendvc.vault.seed import setup


class Command(BaseCommand):
    help = "Thêm các loại giấy tờ của kho dữ liệu còn thiếu (không sửa loại đã có)."

    def handle(self, *args, **options) -> None:
        created = setup(DocumentType)
        self.stdout.write(f"Đã thêm {created} loại giấy tờ.")
