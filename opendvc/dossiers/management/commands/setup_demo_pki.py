"""`opendvc setup_demo_pki`: a demonstration CA and a signing certificate for every agency
that works in the system, so results can be signed and verified out of the box."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from opendvc.directory.models import Agency
from opendvc.dossiers import signing


def demo_agencies():
    """Active agencies with staff, or with a one-stop desk in the demo province."""
    province = settings.DEMO_PROVINCE_CODE
    with_desk_in_province = (
        Q(desks__admin_unit__code=province)
        | Q(desks__admin_unit__parent__code=province)
        | Q(admin_unit__code=province, desks__isnull=False)
        | Q(admin_unit__parent__code=province, desks__isnull=False)
    )
    return (
        Agency.objects.active()
        .filter(Q(staff_roles__isnull=False) | with_desk_in_province)
        .distinct()
        .order_by("code")
    )


class Command(BaseCommand):
    help = (
        "Tạo CA trình diễn (OpenDVC Demo CA) và chứng thư số ký kết quả cho các cơ quan có cán "
        "bộ hoặc bộ phận một cửa ở tỉnh trình diễn. CHỈ DÙNG ĐỂ TRÌNH DIỄN, không có giá trị "
        "pháp lý. Chạy lại không đổi khoá, chứng thư đã có."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", metavar="CODE", help="chỉ cấp cho một cơ quan (theo mã)")

    def handle(self, *args, agency: str | None, **options) -> None:
        folder = signing.PkiFolder(settings.PKI_DIR, now=timezone.now())
        agencies = self._agencies(agency)
        try:
            _, created = folder.ensure_ca()
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        self._say_ca(folder, created)
        issued = kept = 0
        for each in agencies:
            if folder.issue_for(each):
                issued += 1
                self.stdout.write(f"  cấp chứng thư: {each.code} – {each.name}")
            else:
                kept += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Chứng thư số trình diễn trong {folder.root}: {issued} cấp mới, "
                f"{kept} đã có (giữ nguyên)."
            )
        )

    def _agencies(self, code: str | None) -> list[Agency]:
        if not code:
            return list(demo_agencies())
        try:
            return [Agency.objects.get(code=code)]
        except Agency.DoesNotExist:
            raise CommandError(f"Không có cơ quan mã {code}.") from None

    def _say_ca(self, folder: signing.PkiFolder, created: bool) -> None:
        where = folder.ca_certificate_path
        if not created:
            self.stdout.write(f"CA đã có: {where} (giữ nguyên).")
            return
        self.stdout.write(
            self.style.WARNING(
                f"Đã tạo CA trình diễn “{signing.DEMO_CA_NAME}” tại {where}. CA này CHỈ DÙNG "
                "ĐỂ TRÌNH DIỄN: chữ ký số bằng chứng thư của nó không có giá trị pháp lý. Khi "
                "triển khai thật, thay bằng chứng thư số của tổ chức cung cấp dịch vụ chứng thực "
                "chữ ký số (đặt vào cùng các vị trí tệp)."
            )
        )
