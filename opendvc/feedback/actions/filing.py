"""Sending a PAKN: who sends it, what it is about, where it goes, and its code and secret."""

from dataclasses import dataclass
from datetime import datetime

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from opendvc.audit.actions import record
from opendvc.catalog.models import Procedure
from opendvc.core import ratelimit
from opendvc.directory.models import Agency
from opendvc.dossiers.uploads import UploadRejected, check_upload, size_text

from .. import clock
from ..models import Feedback, FeedbackFile, Verification, new_secret
from ..text import plain
from .errors import InvalidRequest, RateLimited

MAX_FILES = 3
MAX_TOTAL_BYTES = 20 * 1024 * 1024
TITLE_MAX = 200
CONTENT_MAX = 5000
# Sending: per client IP per hour, per sender (account or confirmed address) per day.
PER_IP_HOUR = 5
PER_SENDER_DAY = 5


@dataclass(frozen=True)
class Sender:
    """Who sends: an account, or a name and the address confirmed by a one-time code."""

    name: str
    user: object = None
    verification: Verification | None = None


def implied_agency(procedure: Procedure | None) -> Agency | None:
    """The agency answering for a procedure: the first active one implementing it, else the
    one that published it."""
    if procedure is None:
        return None
    return (
        procedure.implementing_agencies.filter(is_active=True).order_by("pk").first()
        or procedure.publishing_agency
    )


def check_files(files) -> list:
    """Every file checked by content, within the count and total size. Raises InvalidRequest."""
    files = [f for f in files or [] if f]
    if len(files) > MAX_FILES:
        raise InvalidRequest(f"Chỉ được đính kèm tối đa {MAX_FILES} tệp.")
    checked = []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except UploadRejected as error:
            raise InvalidRequest(str(error)) from None
    if sum(c.size for c in checked) > MAX_TOTAL_BYTES:
        raise InvalidRequest(f"Tổng dung lượng tệp đính kèm vượt quá {size_text(MAX_TOTAL_BYTES)}.")
    return checked


def _texts(kind: str, title: str, content: str) -> tuple[str, str]:
    if kind not in Feedback.Kind.values:
        raise InvalidRequest("Cần chọn loại phản ánh, kiến nghị.")
    title, content = plain(title, keep_lines=False), plain(content)
    if not title or not content:
        raise InvalidRequest("Cần nhập tiêu đề và nội dung phản ánh, kiến nghị.")
    if len(title) > TITLE_MAX or len(content) > CONTENT_MAX:
        raise InvalidRequest(
            f"Tiêu đề tối đa {TITLE_MAX} ký tự, nội dung tối đa {CONTENT_MAX} ký tự."
        )
    return title, content


def _limit(sender: Sender, ip: str) -> None:
    who = f"user:{sender.user.pk}" if sender.user else f"address:{sender.verification.address}"
    if not ratelimit.hit("feedback-send-ip", ip or "unknown", limit=PER_IP_HOUR, window=3600):
        raise RateLimited("Bạn đã gửi quá nhiều phản ánh trong một giờ. Vui lòng thử lại sau.")
    if not ratelimit.hit("feedback-send", who, limit=PER_SENDER_DAY, window=86400):
        raise RateLimited(
            "Bạn đã gửi quá nhiều phản ánh trong ngày. Vui lòng thử lại vào ngày mai."
        )


def _contact(sender: Sender) -> dict:
    if sender.user is not None:
        user = sender.user
        return {
            "sender": user,
            "sender_name": plain(sender.name, keep_lines=False) or user.full_name,
            "sender_email": user.email or "",
            "sender_phone": user.phone or "",
        }
    verification = sender.verification
    name = plain(sender.name, keep_lines=False)[:150]
    if not name:
        raise InvalidRequest("Cần nhập họ và tên người gửi.")
    is_email = verification.channel == Verification.Channel.EMAIL
    return {
        "sender_name": name,
        "sender_email": verification.address if is_email else "",
        "sender_phone": "" if is_email else verification.address,
    }


def _code(now: datetime) -> str:
    prefix = f"PAKN-{timezone.localtime(now):%y%m%d}-"
    same_day = Feedback.objects.filter(code__startswith=prefix).order_by("-code")
    last = same_day.values_list("code", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def submit_feedback(
    *,
    sender: Sender,
    kind: str,
    title: str,
    content: str,
    agency: Agency | None,
    procedure: Procedure | None,
    files=(),
    ip: str = "",
    now: datetime,
) -> tuple[Feedback, str]:
    """File a PAKN from an account or a confirmed address; returns it and its secret (shown
    once). HTML is stripped from the texts; files are checked by content before anything is
    written. Raises InvalidRequest, RateLimited."""
    if sender.user is None and sender.verification is None:
        raise InvalidRequest("Cần đăng nhập hoặc xác nhận số điện thoại, e-mail trước khi gửi.")
    title, content = _texts(kind, title, content)
    agency = agency or implied_agency(procedure)
    if agency is None:
        raise InvalidRequest("Cần chọn cơ quan tiếp nhận phản ánh, kiến nghị.")
    checked = check_files(files)
    contact = _contact(sender)
    _limit(sender, ip)
    secret = new_secret()
    for _ in range(5):
        try:
            with transaction.atomic():
                feedback = _create(sender, kind, title, content, agency, procedure, contact, now)
                feedback.set_secret(secret)
                feedback.save(update_fields=["secret_hash"])
                _attach(feedback, checked, now)
                record(
                    action="feedback.submit",
                    actor=sender.user,
                    target=feedback,
                    payload={"code": feedback.code, "agency": agency.code, "files": len(checked)},
                    now=now,
                )
            return feedback, secret
        except IntegrityError:  # two senders took the same number at once: take the next
            continue
    raise InvalidRequest("Hệ thống đang bận, vui lòng gửi lại.")


def _create(sender, kind, title, content, agency, procedure, contact, now) -> Feedback:
    if sender.verification is not None:
        used = Verification.objects.filter(pk=sender.verification.pk, used_at=None).update(
            used_at=now
        )
        if not used:
            raise InvalidRequest("Mã xác nhận đã được dùng. Vui lòng xác nhận lại.")
    times = clock.reception_times(now)
    return Feedback.objects.create(
        code=_code(now),
        kind=kind,
        title=title,
        content=content,
        agency=agency,
        procedure=procedure,
        created_at=now,
        due_at=times["accept_due_at"],
        **times,
        **contact,
    )


def _attach(feedback: Feedback, checked: list, now: datetime) -> None:
    for item in checked:
        FeedbackFile.objects.create(
            feedback=feedback,
            file=_named(item),
            display_name=item.display_name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_at=now,
        )


def _named(item):
    return File(item.file, name=item.stored_name)
