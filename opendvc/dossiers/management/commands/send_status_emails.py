"""Send the status e-mails that a lost or failed task left unsent (the heartbeat does this
every beat; run it by hand after an outage, or from cron where no worker runs the heartbeat)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from opendvc.dossiers import emails


class Command(BaseCommand):
    help = "Gửi các thư điện tử báo trạng thái hồ sơ còn chưa gửi được."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=emails.GRACE.total_seconds(),
            help="only changes at least this many seconds old (default: %(default)s)",
        )
        parser.add_argument(
            "--within",
            type=float,
            default=emails.HORIZON.total_seconds(),
            help="only changes at most this many seconds old (default: %(default)s)",
        )

    def handle(self, *args, older_than: float, within: float, **options) -> None:
        sent = emails.send_unsent(
            now=timezone.now(),
            older_than=timedelta(seconds=older_than),
            within=timedelta(seconds=within),
        )
        self.stdout.write(f"Đã gửi {sent} thư.")
