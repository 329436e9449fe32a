"""`opendvc expire_payments`: unpaid payments past their time (15 minutes by default) expire.
Run every few minutes; the payment page also expires its own payment when it is opened."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from opendvc.payments.actions import expire_payments


class Command(BaseCommand):
    help = "Chuyển các giao dịch chưa thanh toán đã quá hạn sang trạng thái hết hạn."

    def handle(self, *args, **options):
        expired = expire_payments(now=timezone.now())
        self.stdout.write(f"Đã chuyển {expired} giao dịch sang hết hạn.")
