"""Items made through the actions, so the clock and the audit are as in real use."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from opendvc.feedback import actions
from opendvc.feedback.models import Feedback, Verification

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
API = "/api/v1"


def confirmed_address(address: str, at: datetime = MONDAY) -> Verification:
    """A verification already confirmed (the code step is tested in test_otp)."""
    channel = "email" if "@" in address else "phone"
    return Verification.objects.create(
        token=f"token-{address}",
        channel=channel,
        address=address,
        code_hash="-",
        created_at=at,
        expires_at=at + timedelta(minutes=10),
        confirmed_at=at,
    )


def sent(
    agency,
    sender=None,
    *,
    at: datetime = MONDAY,
    title: str = "Thời hạn giải quyết quá dài",
    content: str = "Đề nghị rút ngắn thời hạn giải quyết thủ tục.",
    procedure=None,
    phone: str = "",
    name: str = "Lê Thị Hoa",
) -> tuple[Feedback, str]:
    """A PAKN sent at `at`, from an account (`sender`) or a confirmed phone number."""
    if sender is None:
        who = actions.Sender(name=name, verification=confirmed_address(phone or "0901234567", at))
    else:
        who = actions.Sender(name=sender.full_name, user=sender)
    return actions.submit_feedback(
        sender=who,
        kind=Feedback.Kind.REGULATION,
        title=title,
        content=content,
        agency=agency,
        procedure=procedure,
        now=at,
        ip=f"10.0.{Feedback.objects.count() % 250}.1",
    )


def answered(agency, sender, specialist, leader, *, at: datetime = MONDAY, **kw) -> Feedback:
    feedback, _ = sent(agency, sender, at=at, **kw)
    actions.accept_feedback(feedback=feedback, by=specialist, now=at + timedelta(hours=1))
    actions.draft_answer(
        feedback=feedback, by=specialist, answer="Cơ quan đã xem xét.", now=at + timedelta(hours=2)
    )
    actions.approve_answer(feedback=feedback, by=leader, now=at + timedelta(hours=3))
    return feedback


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def user_model():
    return get_user_model()
