import os

from django.core.management.base import BaseCommand

from opendvc.accounts.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Tạo các tài khoản dùng thử (công dân, cán bộ một cửa, chuyên viên, lãnh đạo, quản trị)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("OPENDVC_DEMO_PASSWORD", "OpenDVC@2025"),
            help="password of every demo account (env OPENDVC_DEMO_PASSWORD)",
        )

    def handle(self, *args, password: str, **options) -> None:
        logins = create_demo_accounts(password=password)
        self.stdout.write(self.style.SUCCESS("Tài khoản dùng thử (đăng nhập bằng email):"))
        for login in logins:
            where = f"  – {login.agency}" if login.agency else ""
            self.stdout.write(f"  {login.role:<18} {login.login:<28} {login.password}{where}")
        self.stdout.write("  Trang quản trị hệ thống: /quan-tri-he-thong/")
