"""Demo accounts for a fresh installation: one of each kind of user, with printed logins."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opendvc.audit.actions import record
from opendvc.directory.models import Agency

from . import actions
from .models import StaffRole, User


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    agency: str = ""


def _demo_agencies() -> tuple[Agency | None, Agency | None]:
    """The demo province's department of justice (for specialists and leaders) and the
    service centre (for the one-stop desk), if the demo province has been set up."""
    in_province = Agency.objects.filter(admin_unit__code=settings.DEMO_PROVINCE_CODE)
    justice = in_province.filter(name__icontains="Tư pháp").order_by("id").first()
    centre = in_province.filter(kind=Agency.Kind.SERVICE_CENTRE).order_by("id").first() or justice
    return justice, centre


def _ensure_user(
    *,
    email: str,
    full_name: str,
    kind: str,
    password: str,
    phone: str = "",
    superuser: bool = False,
) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    if superuser:
        user = User.objects.create_superuser(email=email, password=password, full_name=full_name)
    else:
        user = User.objects.create_user(
            email=email, phone=phone, password=password, full_name=full_name, kind=kind
        )
    return user, True


def create_demo_accounts(*, password: str) -> list[DemoLogin]:
    """Create (once) the demo citizen, desk officer, specialist, leader and administrator."""
    now = timezone.now()
    justice, centre = _demo_agencies()
    cast = [
        (
            "Công dân",
            "congdan@opendvc.local",
            "Nguyễn Văn An",
            User.Kind.CITIZEN,
            "0912345678",
            None,
            None,
        ),
        (
            "Cán bộ Một cửa",
            "motcua@opendvc.local",
            "Lê Thị Thu",
            User.Kind.OFFICIAL,
            "",
            centre,
            StaffRole.Role.DESK_OFFICER,
        ),
        (
            "Chuyên viên",
            "chuyenvien@opendvc.local",
            "Phạm Minh Đức",
            User.Kind.OFFICIAL,
            "",
            justice,
            StaffRole.Role.SPECIALIST,
        ),
        (
            "Lãnh đạo",
            "lanhdao@opendvc.local",
            "Trần Quốc Hùng",
            User.Kind.OFFICIAL,
            "",
            justice,
            StaffRole.Role.LEADER,
        ),
    ]
    logins = []
    with transaction.atomic():
        for label, email, name, kind, phone, agency, role in cast:
            user, created = _ensure_user(
                email=email, full_name=name, kind=kind, password=password, phone=phone
            )
            if created:
                record(
                    action="accounts.demo_account_created",
                    target=user,
                    now=now,
                    payload={"role": label},
                )
            if agency is not None and role is not None:
                actions.grant_role(user=user, agency=agency, role=role, by=None, now=now)
            logins.append(DemoLogin(label, email, password, agency.name if agency else ""))
        if justice is not None:
            # The centre's desk officers are seconded by the departments and receive their
            # dossiers; the department's leader also keeps its processing steps.
            for email, role in (
                ("motcua@opendvc.local", StaffRole.Role.DESK_OFFICER),
                ("lanhdao@opendvc.local", StaffRole.Role.AGENCY_ADMIN),
            ):
                user = User.objects.get(email=email)
                actions.grant_role(user=user, agency=justice, role=role, by=None, now=now)
        admin, created = _ensure_user(
            email="quantri@opendvc.local",
            full_name="Quản trị hệ thống",
            kind=User.Kind.OFFICIAL,
            password=password,
            superuser=True,
        )
        if created:
            record(
                action="accounts.demo_account_created",
                target=admin,
                now=now,
                payload={"role": "Quản trị hệ thống"},
            )
        logins.append(DemoLogin("Quản trị hệ thống", admin.email, password, ""))
    return logins
