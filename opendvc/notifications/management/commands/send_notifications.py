"""Send the messages that are due: once, or as a long-running outbox worker (--loop)."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from opendvc.notifications import outbox


class Command(BaseCommand):
    help = "Gửi các tin nhắn đến hạn trong hộp thư đi (một lần, hoặc liên tục với --loop)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument("--batch", type=int, default=500, help="messages per round")
        parser.add_argument("--idle", type=float, default=1.0, help="seconds to wait when idle")

    def handle(self, *args, loop: bool, batch: int, idle: float, **options) -> None:
        total = 0
        while True:
            tried = outbox.dispatch(now=timezone.now(), limit=batch)
            total += tried
            if tried:
                self.stdout.write(f"Đã gửi {total} tin nhắn…")
            elif not loop:
                break
            else:
                time.sleep(idle)
        self.stdout.write(self.style.SUCCESS(f"Xong: {total} tin nhắn đã được xử lý."))
