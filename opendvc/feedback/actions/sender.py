"""What the sender does after sending: answer a request for information, rate the answer,
reopen it. The caller has found the item through access.py (the sender's own)."""

from datetime import datetime

from django.db import transaction

from .. import clock
from ..models import Feedback
from ..text import plain
from ._common import State, Unsigned, audit, check_state, lock, set_due
from .errors import IllegalTransition, InvalidRequest

REPLY_MAX = 5000


def answer_info_request(*, feedback: Feedback, by, reply: str, now: datetime) -> Feedback:
    """The sender's reply to a request for information (NEEDS_INFO → ACCEPTED): the answer
    clock runs again from the reply's effective reception with the working days that were
    left. An item the agency asked questions about counts as taken in.
    Raises IllegalTransition, InvalidRequest."""
    reply = plain(reply)
    if not reply:
        raise InvalidRequest("Cần nhập thông tin bổ sung.")
    if len(reply) > REPLY_MAX:
        raise InvalidRequest(f"Thông tin bổ sung tối đa {REPLY_MAX} ký tự.")
    with transaction.atomic():
        lock(feedback)
        check_state(feedback, {State.NEEDS_INFO})
        feedback.answer_due_at = clock.resumed_due(now, feedback.working_days_left or 0)
        feedback.info_reply = reply
        feedback.paused_at = None
        feedback.working_days_left = None
        feedback.state = State.ACCEPTED
        set_due(feedback, feedback.answer_due_at)
        feedback.save()
        audit(
            feedback,
            "answer_info",
            by or Unsigned(feedback),
            now,
            answer_due_at=feedback.answer_due_at.isoformat(),
        )
    return feedback


def rate_answer(*, feedback: Feedback, by, satisfied: bool, now: datetime) -> Feedback:
    """The sender says whether the answer satisfies them (ANSWERED only).
    Raises IllegalTransition."""
    with transaction.atomic():
        lock(feedback)
        check_state(feedback, {State.ANSWERED})
        Rating = Feedback.Rating
        feedback.rating = Rating.SATISFIED if satisfied else Rating.UNSATISFIED
        feedback.save(update_fields=["rating"])
        audit(feedback, "rate", by or Unsigned(feedback), now, rating=feedback.rating)
    return feedback


def reopen_feedback(*, feedback: Feedback, by, reason: str, now: datetime) -> Feedback:
    """Reopen an answer within the period after it (ANSWERED → ACCEPTED): the agency has the
    whole answer time again, and the answer leaves the public pages until it is re-answered.
    Raises IllegalTransition, InvalidRequest."""
    reason = plain(reason)
    if not reason:
        raise InvalidRequest("Cần nêu lý do đề nghị xem xét lại.")
    with transaction.atomic():
        lock(feedback)
        check_state(feedback, {State.ANSWERED})
        if feedback.reopen_until is None or now > feedback.reopen_until:
            raise IllegalTransition(
                f"Đã quá {clock.REOPEN_DAYS} ngày kể từ khi trả lời, không thể mở lại."
            )
        feedback.state = State.ACCEPTED
        feedback.answer_due_at = clock.reopened_due(now)
        feedback.info_reply = reason
        feedback.publication = Feedback.Publication.UNDECIDED
        feedback.published_at = None
        feedback.rating = Feedback.Rating.UNSATISFIED
        feedback.reopen_count += 1
        set_due(feedback, feedback.answer_due_at)
        feedback.save()
        audit(feedback, "reopen", by or Unsigned(feedback), now, reason=reason)
    return feedback
