from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opendvc.accounts.models import User
from opendvc.accounts.phone import normalize_phone
from opendvc.accounts.tokens import TokenError, create_token


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API cá nhân cho một tài khoản (theo email hoặc số điện thoại). "
        "Mã chỉ được in ra một lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("account", help="e-mail address or phone number of the account")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. 'CI'")

    def handle(self, *args, account: str, name: str, **options) -> None:
        account = account.strip()
        if "@" in account:
            user = User.objects.filter(email=account.lower()).first()
        else:
            phone = normalize_phone(account)
            user = User.objects.filter(phone=phone).first() if phone else None
        if user is None:
            raise CommandError(f"Không tìm thấy tài khoản “{account}”.")
        try:
            token, raw = create_token(user=user, name=name, now=timezone.now())
        except TokenError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã tạo mã truy cập “{token.name}” cho {user}."))
        self.stdout.write("Lưu lại ngay, mã sẽ không được hiển thị lại:")
        self.stdout.write(raw)
