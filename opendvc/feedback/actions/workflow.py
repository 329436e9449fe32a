"""The agency's workflow: take in or refuse, ask for information, re-route, merge, draft,
approve and send, publish. Each action locks the item, checks the role and the state, moves the
clock (clock.py) and writes the audit entry in one transaction."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from opendvc.directory.models import Agency
from opendvc.notifications import outbox

from .. import clock
from ..models import Feedback
from ..text import plain
from ._common import APPROVERS, DRAFTERS, HANDLERS, PUBLISHERS, State, audit, check, lock, set_due
from .errors import IllegalTransition, InvalidRequest

OPEN = {State.RECEIVED, State.ACCEPTED}


def _text(raw: str, what: str) -> str:
    text = plain(raw)
    if not text:
        raise InvalidRequest(f"Cần nhập {what}.")
    return text


def accept_feedback(*, feedback: Feedback, by, now: datetime) -> Feedback:
    """Take the item in (RECEIVED → ACCEPTED); the answer clock runs.
    Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, {State.RECEIVED})
        feedback.state = State.ACCEPTED
        set_due(feedback, feedback.answer_due_at)
        feedback.save()
        audit(feedback, "accept", by, now)
    return feedback


def reject_feedback(*, feedback: Feedback, by, reason: str, now: datetime) -> Feedback:
    """Refuse to take the item in, with the reason (RECEIVED → REJECTED).
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    reason = _text(reason, "lý do không tiếp nhận")
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, {State.RECEIVED})
        feedback.state = State.REJECTED
        feedback.reject_reason = reason
        set_due(feedback, None)
        feedback.save()
        audit(feedback, "reject", by, now, reason=reason)
    return feedback


def request_info(*, feedback: Feedback, by, question: str, now: datetime) -> Feedback:
    """Ask the sender for more information (RECEIVED or ACCEPTED → NEEDS_INFO), within 5
    working days of reception. The answer clock stops with its whole working days left.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    question = _text(question, "nội dung cần bổ sung")
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, OPEN)
        if now > feedback.info_due_at:
            raise IllegalTransition("Đã quá thời hạn 5 ngày làm việc để yêu cầu bổ sung thông tin.")
        feedback.working_days_left = clock.frozen_days(now, feedback.answer_due_at)
        feedback.paused_at = now
        feedback.answer_due_at = None
        feedback.info_request = question
        feedback.info_reply = ""
        feedback.state = State.NEEDS_INFO
        set_due(feedback, None)
        feedback.save()
        audit(feedback, "request_info", by, now, working_days_left=feedback.working_days_left)
    return feedback


def classify_feedback(*, feedback: Feedback, by, kind: str, now: datetime) -> Feedback:
    """Correct the sender's classification (about regulations and procedures, or about
    conduct and service). Raises NotAllowed, IllegalTransition, InvalidRequest."""
    if kind not in Feedback.Kind.values:
        raise InvalidRequest("Cần chọn loại phản ánh, kiến nghị hợp lệ.")
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, OPEN | {State.NEEDS_INFO})
        before = feedback.kind
        feedback.kind = kind
        feedback.save(update_fields=["kind"])
        audit(feedback, "classify", by, now, **{"from": before, "to": kind})
    return feedback


def reroute_feedback(*, feedback: Feedback, by, agency: Agency, now: datetime) -> Feedback:
    """Send the item to the agency responsible for it; its times run on unchanged (they
    count from the reception by the State, not by one office).
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, OPEN)
        if agency.pk == feedback.agency_id or not agency.is_active:
            raise InvalidRequest("Cần chọn một cơ quan khác, đang hoạt động.")
        before = feedback.agency.code
        feedback.agency = agency
        feedback.save()
        audit(feedback, "reroute", by, now, **{"from": before, "to": agency.code})
    return feedback


def merge_feedback(*, feedback: Feedback, into: Feedback, by, now: datetime) -> Feedback:
    """Close a duplicate: it points at the kept item and follows its answer.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, HANDLERS, OPEN | {State.NEEDS_INFO})
        kept = Feedback.objects.select_for_update().filter(pk=into.pk).first()
        if kept is None or kept.pk == feedback.pk or kept.agency_id != feedback.agency_id:
            raise InvalidRequest("Cần chọn một phản ánh khác của cùng cơ quan để gộp vào.")
        if kept.state in {State.REJECTED, State.MERGED}:
            raise InvalidRequest("Không thể gộp vào phản ánh đã bị từ chối hoặc đã được gộp.")
        feedback.state = State.MERGED
        feedback.merged_into = kept
        feedback.paused_at = None
        set_due(feedback, None)
        feedback.save()
        audit(feedback, "merge", by, now, kept=kept.code)
    return feedback


def draft_answer(*, feedback: Feedback, by, answer: str, now: datetime) -> Feedback:
    """The specialist's draft answer, for the leader (ACCEPTED or DRAFTED → DRAFTED).
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    answer = _text(answer, "nội dung trả lời")
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, DRAFTERS, {State.ACCEPTED, State.DRAFTED})
        feedback.answer = answer
        feedback.drafted_by = by
        feedback.state = State.DRAFTED
        feedback.save()
        audit(feedback, "draft", by, now)
    return feedback


def approve_answer(*, feedback: Feedback, by, answer: str = "", now: datetime) -> Feedback:
    """The leader approves the draft (edited if `answer` is given) and sends it to the sender
    (DRAFTED → ANSWERED); publication must be decided within 2 working days.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, APPROVERS, {State.DRAFTED})
        if plain(answer):
            feedback.answer = plain(answer)
        feedback.state = State.ANSWERED
        feedback.answered_at = now
        feedback.answered_by = by
        feedback.answer_count += 1
        feedback.publish_due_at = clock.publish_due(now)
        feedback.reopen_until = clock.reopen_until(now)
        feedback.publication = Feedback.Publication.UNDECIDED
        feedback.published_at = None
        set_due(feedback, feedback.publish_due_at)
        feedback.save()
        audit(feedback, "approve", by, now)
        _tell_sender(feedback, now)
    return feedback


def _tell_sender(feedback: Feedback, now: datetime) -> None:
    path = reverse("feedback:follow_detail", kwargs={"code": feedback.code})
    outbox.notify(
        event="feedback.answered",
        context={
            "sender_name": feedback.sender_name,
            "feedback_code": feedback.code,
            "url": settings.SITE_URL.rstrip("/") + path,
        },
        key=f"feedback.answered:{feedback.pk}:{feedback.answer_count}",
        now=now,
        user=feedback.sender,
        email=feedback.sender_email,
        phone=feedback.sender_phone,
        reference=feedback.code,
        agency=feedback.agency,
    )


def publish_answer(*, feedback: Feedback, by, public: bool, now: datetime) -> Feedback:
    """Decide whether the answer is published (ANSWERED only). A public answer shows on the
    public pages without the sender's personal data; a private one never does.
    Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(feedback)
        check(feedback, by, PUBLISHERS, {State.ANSWERED})
        Publication = Feedback.Publication
        feedback.publication = Publication.PUBLIC if public else Publication.PRIVATE
        feedback.published_at = now if public else None
        set_due(feedback, None)
        feedback.save()
        audit(feedback, "publish", by, now, publication=feedback.publication)
    return feedback
