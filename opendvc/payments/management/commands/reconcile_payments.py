"""`opendvc reconcile_payments [--day YYYY-MM-DD]`: ask the gateway about pending and doubtful
payments, settle what it decided, expire the rest past their time, and report mismatches."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendvc.payments.reconcile import reconcile, summary

BAR = 30


class Command(BaseCommand):
    help = "Đối soát thanh toán với cổng thanh toán (mặc định: hôm nay, giờ Việt Nam)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="ngày báo cáo, YYYY-MM-DD")
        parser.add_argument("--no-progress", action="store_true", help="không in thanh tiến độ")

    def handle(self, *args, day=None, no_progress=False, **options):
        now = timezone.now()
        try:
            report_day = date.fromisoformat(day) if day else timezone.localdate(now)
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {day!r} (dạng YYYY-MM-DD)") from None
        run = reconcile(day=report_day, now=now, progress=None if no_progress else self.progress)
        if not no_progress:
            self.stdout.write("")
        for line in summary(run):
            self.stdout.write(line)

    def progress(self, done: int, total: int) -> None:
        filled = BAR * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}", ending="")
        self.stdout.flush()
