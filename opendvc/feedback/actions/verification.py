"""One-time codes that confirm a phone number or an e-mail address before someone without an
account sends a PAKN. Only a keyed hash of the code is stored; a code expires, allows a few
tries, and sending codes is rate limited per address and per client IP."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from opendvc.accounts.phone import normalize_phone
from opendvc.core import ratelimit
from opendvc.notifications import outbox

from ..models import Verification
from .errors import InvalidRequest, RateLimited

CODE_DIGITS = 6
MINUTES = 10
MAX_ATTEMPTS = 5
# Codes sent: per address and per client, in a window of an hour.
PER_ADDRESS = 3
PER_IP = 10
WINDOW = 3600
PURPOSE = "gửi phản ánh, kiến nghị"


def parse_address(raw: str) -> tuple[str, str]:
    """(channel, normalised address) from a phone number or an e-mail address as typed."""
    typed = (raw or "").strip()
    phone = normalize_phone(typed)
    if phone:
        return Verification.Channel.PHONE, phone
    try:
        validate_email(typed)
    except ValidationError:
        raise InvalidRequest(
            "Cần nhập số điện thoại di động (10 chữ số) hoặc địa chỉ e-mail hợp lệ."
        ) from None
    return Verification.Channel.EMAIL, typed.lower()


def start_verification(*, address: str, ip: str, now: datetime) -> Verification:
    """Send a one-time code to the address. Raises InvalidRequest, RateLimited."""
    channel, normalised = parse_address(address)
    if not ratelimit.hit("feedback-otp-ip", ip or "unknown", limit=PER_IP, window=WINDOW):
        raise RateLimited("Đã gửi quá nhiều mã xác nhận từ máy của bạn. Vui lòng thử lại sau.")
    if not ratelimit.hit("feedback-otp-address", normalised, limit=PER_ADDRESS, window=WINDOW):
        raise RateLimited(
            "Đã gửi quá nhiều mã xác nhận tới địa chỉ này. Vui lòng thử lại sau một giờ."
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        verification = Verification(
            token=secrets.token_urlsafe(32),
            channel=channel,
            address=normalised,
            created_at=now,
            expires_at=now + timedelta(minutes=MINUTES),
        )
        verification.code_hash = verification.hash_code(code)
        verification.save()
        is_email = channel == Verification.Channel.EMAIL
        outbox.notify(
            event="verification.code",
            context={"code": code, "purpose": PURPOSE, "minutes": MINUTES},
            key=f"feedback.verification:{verification.token}",
            now=now,
            email=normalised if is_email else "",
            phone="" if is_email else normalised,
        )
    return verification


def confirm_verification(*, token: str, code: str, now: datetime) -> Verification:
    """Check the code typed. Raises InvalidRequest (unknown, used, expired, wrong) and
    RateLimited (too many wrong tries: the code is spent, a new one must be asked for)."""
    with transaction.atomic():
        verification = Verification.objects.select_for_update().filter(token=token).first()
        if verification is None or verification.used_at is not None:
            raise InvalidRequest("Mã xác nhận không còn hiệu lực. Vui lòng lấy mã mới.")
        if verification.confirmed_at is not None:
            return verification
        if verification.expires_at <= now:
            raise InvalidRequest("Mã xác nhận đã hết hạn. Vui lòng lấy mã mới.")
        if verification.attempts >= MAX_ATTEMPTS:
            raise RateLimited("Bạn đã nhập sai quá số lần cho phép. Vui lòng lấy mã mới.")
        verification.attempts += 1
        right = secrets.compare_digest(verification.hash_code(code or ""), verification.code_hash)
        if right:
            verification.confirmed_at = now
        verification.save(update_fields=["attempts", "confirmed_at"])
    # Raised once the try is saved: an error inside the transaction would roll the count back.
    if right:
        return verification
    left = MAX_ATTEMPTS - verification.attempts
    if left <= 0:
        raise RateLimited("Bạn đã nhập sai quá số lần cho phép. Vui lòng lấy mã mới.")
    raise InvalidRequest(f"Mã xác nhận không đúng. Bạn còn {left} lần thử.")


def confirmed(token: str, now: datetime) -> Verification | None:
    """The confirmed, unused verification of this token, if still fresh (an hour to write)."""
    if not token:
        return None
    return Verification.objects.filter(
        token=token,
        confirmed_at__isnull=False,
        used_at__isnull=True,
        confirmed_at__gt=now - timedelta(hours=1),
    ).first()
