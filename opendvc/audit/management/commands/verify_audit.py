from django.core.management.base import BaseCommand, CommandError

from opendvc.audit.actions import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký hệ thống (verify the audit hash chain)."

    def handle(self, *args, **options) -> None:
        result = verify_chain()
        if not result.ok:
            where = f"entry #{result.broken_id}" if result.broken_id else "the end of the chain"
            raise CommandError(
                f"Audit chain broken at {where}: {result.reason} "
                f"({result.checked} entries verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain OK: {result.checked} entries."))
