"""Account state changes. Each one writes its audit entry in the same transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction

from opendvc.audit.actions import record

from .models import StaffRole, User


class AccountError(Exception):
    pass


class IdentifierTaken(AccountError):
    pass


def sign_up_citizen(
    *, full_name: str, email: str, phone: str, password: str, kind: str, now: datetime
) -> User:
    """Create a citizen or business account. Raises IdentifierTaken if the e-mail address or
    phone number already belongs to an account."""
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                phone=phone,
                password=password,
                full_name=full_name,
                kind=kind,
                date_joined=now,
            )
            record(
                action="accounts.citizen_signed_up",
                actor=user,
                target=user,
                now=now,
                payload={"kind": kind, "has_email": bool(email), "has_phone": bool(phone)},
            )
    except IntegrityError as error:
        raise IdentifierTaken(
            "Email hoặc số điện thoại này đã được dùng cho một tài khoản khác."
        ) from error
    return user


def record_sign_in(*, user: User, ip: str | None, now: datetime) -> None:
    record(action="accounts.signed_in", actor=user, target=user, now=now, payload={"ip": ip})


def record_sign_out(*, user: User, now: datetime) -> None:
    record(action="accounts.signed_out", actor=user, target=user, now=now)


def record_failed_sign_in(*, identifier: str, ip: str | None, now: datetime) -> None:
    # The identifier is kept masked: the log must not become a list of guessed logins.
    masked = identifier[:3] + "***" if identifier else ""
    record(
        action="accounts.sign_in_failed",
        target_type="accounts.user",
        now=now,
        payload={"identifier": masked, "ip": ip},
    )


def record_password_changed(*, user: User, how: str, now: datetime) -> None:
    record(
        action="accounts.password_changed", actor=user, target=user, now=now, payload={"how": how}
    )


def grant_role(*, user: User, agency, role: str, by: User | None, now: datetime) -> StaffRole:
    """Give an official a role in an agency (idempotent). The user becomes an official."""
    with transaction.atomic():
        staff_role, created = StaffRole.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"granted_at": now}
        )
        if user.kind != User.Kind.OFFICIAL:
            user.kind = User.Kind.OFFICIAL
            user.save(update_fields=["kind"])
        if created:
            record(
                action="accounts.role_granted",
                actor=by,
                target=user,
                now=now,
                payload={"agency": agency.code, "role": role},
            )
    return staff_role
