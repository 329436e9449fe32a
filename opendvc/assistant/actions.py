"""Every change to a question, once: asking, answering, publishing, hiding, rejecting and the
public wording. Each runs in a transaction, locks the row it changes, writes its audit entry
and queues its message in that same transaction."""

import html
import re
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.html import strip_tags

from opendvc.audit.actions import record
from opendvc.catalog.models import Field, Procedure
from opendvc.core import calendar, ratelimit
from opendvc.directory.models import Agency
from opendvc.notifications import outbox

from . import access
from .models import ANSWER_DAYS, ANSWER_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX, Question

State = Question.State
# A signed-in citizen may ask this many questions per hour: enough for real needs, too few
# to flood an agency's list.
ASK_LIMIT = 5
ASK_WINDOW = 3600
ANSWERED_EVENT = "question.answered"


class QuestionError(Exception):
    """A question cannot change as asked; the message is for the person who asked it."""


class NotAllowed(QuestionError):
    pass


class IllegalState(QuestionError):
    pass


class InvalidQuestion(QuestionError):
    pass


class TooManyQuestions(QuestionError):
    pass


def plain(value: str, limit: int) -> str:
    """Plain text: tags removed, entities decoded, spaces tidied, at most `limit` characters.
    Pages escape it anyway; stored as plain text it is safe for e-mail, SMS and the API."""
    text = html.unescape(strip_tags(value or ""))
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()[:limit]


def _required(value: str, limit: int, message: str) -> str:
    text = plain(value, limit)
    if not text:
        raise InvalidQuestion(message)
    return text


def _lock(question: Question) -> None:
    Question.objects.select_for_update().filter(pk=question.pk).values_list("pk").get()
    question.refresh_from_db()


def ask_question(
    *,
    asker,
    agency: Agency,
    title: str,
    text: str,
    now: datetime,
    procedure: Procedure | None = None,
    field: Field | None = None,
) -> Question:
    """A citizen's question, routed to `agency`, due in ANSWER_DAYS working days.
    Raises TooManyQuestions past ASK_LIMIT an hour, InvalidQuestion for an empty title or text
    or an agency the procedure is not routed to."""
    if not ratelimit.hit("assistant.ask", str(asker.pk), limit=ASK_LIMIT, window=ASK_WINDOW):
        raise TooManyQuestions("Bạn đã gửi nhiều câu hỏi trong một giờ qua. Vui lòng thử lại sau.")
    title = _required(title, TITLE_MAX, "Vui lòng nhập tiêu đề câu hỏi.")
    text = _required(text, TEXT_MAX, "Vui lòng nhập nội dung câu hỏi.")
    if not access.agencies_for_procedure(procedure).filter(pk=agency.pk).exists():
        raise InvalidQuestion("Cơ quan đã chọn không trả lời câu hỏi về thủ tục này.")
    if field is None and procedure is not None:
        field = procedure.fields.order_by("pk").first()
    with transaction.atomic():
        question = Question.objects.create(
            procedure=procedure,
            field=field,
            agency=agency,
            asker=asker,
            title=title,
            text=text,
            due_at=calendar.due_at(now, ANSWER_DAYS, "WORKING_DAY"),
            created_at=now,
            updated_at=now,
        )
        record(action="assistant.ask", actor=asker, target=question, now=now)
    return question


def answer_question(
    *, question: Question, by, answer: str, now: datetime, publish: bool = False
) -> Question:
    """Save the agency's answer (a specialist's or a leader's), tell the asker, and publish at
    once when asked to by someone who may. Raises NotAllowed, IllegalState, InvalidQuestion."""
    roles = access.roles_for(by, question)
    if not access.can_answer(roles) or (publish and not access.can_publish(roles)):
        raise NotAllowed("Bạn không có quyền trả lời câu hỏi này.")
    answer = _required(answer, ANSWER_MAX, "Vui lòng nhập nội dung trả lời.")
    with transaction.atomic():
        _lock(question)
        if question.state in (State.REJECTED, State.PUBLISHED):
            raise IllegalState("Câu hỏi đã bị từ chối hoặc đang công khai, không thể trả lời.")
        first = question.answered_at is None
        question.answer, question.answered_by, question.answered_at = answer, by, now
        question.state = State.PUBLISHED if publish else State.ANSWERED
        question.published_at = now if publish else question.published_at
        question.updated_at = now
        question.save()
        record(
            action="assistant.answer",
            actor=by,
            target=question,
            payload={"published": publish, "first": first},
            now=now,
        )
        if first:
            tell_asker(question, now=now)
    return question


def tell_asker(question: Question, *, now: datetime):
    """Queue "question.answered" for the asker (once per question: answering again after an
    edit tells nobody twice)."""
    if question.asker is None:
        return None
    asker = question.asker
    return outbox.notify(
        event=ANSWERED_EVENT,
        context={
            "asker_name": asker.full_name,
            "question_title": question.title,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("assistant:mine_detail", kwargs={"pk": question.pk}),
        },
        key=f"question.answered:{question.pk}",
        now=now,
        user=asker,
        email=asker.email or "",
        phone=asker.phone or "",
        reference=f"question:{question.pk}",
        agency=question.agency,
    )


def _publishing(question: Question, by, action: str, allowed: set, to: str, now, **payload):
    if not access.can_publish(access.roles_for(by, question)):
        raise NotAllowed("Bạn không có quyền công khai hoặc ẩn câu hỏi này.")
    with transaction.atomic():
        _lock(question)
        if question.state not in allowed:
            raise IllegalState(
                f"Câu hỏi đang ở trạng thái “{question.get_state_display()}”, "
                "không thể thực hiện thao tác này."
            )
        question.state = to
        if to == State.PUBLISHED:
            question.published_at = now
        question.updated_at = now
        question.save()
        record(action=f"assistant.{action}", actor=by, target=question, payload=payload, now=now)
    return question


def publish_question(*, question: Question, by, now: datetime) -> Question:
    """Put an answered question on the public FAQ. Raises NotAllowed, IllegalState."""
    return _publishing(
        question, by, "publish", {State.ANSWERED, State.HIDDEN}, State.PUBLISHED, now
    )


def hide_question(*, question: Question, by, now: datetime) -> Question:
    """Take a question off the public FAQ. Raises NotAllowed, IllegalState."""
    return _publishing(question, by, "hide", {State.ANSWERED, State.PUBLISHED}, State.HIDDEN, now)


def reject_question(*, question: Question, by, reason: str, now: datetime) -> Question:
    """Decline to answer, with the reason the asker reads. Raises NotAllowed, IllegalState,
    InvalidQuestion."""
    roles = access.roles_for(by, question)
    if not (access.can_answer(roles) or access.can_publish(roles)):
        raise NotAllowed("Bạn không có quyền từ chối câu hỏi này.")
    reason = _required(reason, REASON_MAX, "Vui lòng nêu lý do từ chối.")
    with transaction.atomic():
        _lock(question)
        if question.state not in (State.NEW, State.ANSWERED):
            raise IllegalState("Chỉ từ chối được câu hỏi chưa công khai.")
        question.state, question.reject_reason, question.updated_at = State.REJECTED, reason, now
        question.save()
        record(
            action="assistant.reject",
            actor=by,
            target=question,
            payload={"reason": reason},
            now=now,
        )
    return question


def edit_public_wording(*, question: Question, by, title: str, text: str, now: datetime):
    """Set the wording the public reads (the asker's own words stay as they wrote them), for
    instance to remove a name or an address. Raises NotAllowed, IllegalState, InvalidQuestion."""
    if not access.can_publish(access.roles_for(by, question)):
        raise NotAllowed("Bạn không có quyền sửa nội dung công khai của câu hỏi.")
    title = _required(title, TITLE_MAX, "Vui lòng nhập tiêu đề công khai.")
    text = _required(text, TEXT_MAX, "Vui lòng nhập nội dung công khai.")
    with transaction.atomic():
        _lock(question)
        if question.state == State.REJECTED:
            raise IllegalState("Câu hỏi đã bị từ chối.")
        question.public_title, question.public_text, question.updated_at = title, text, now
        question.save()
        record(action="assistant.edit_public", actor=by, target=question, now=now)
    return question


def count_view(question: Question) -> None:
    """One more reader. An UPDATE of the counter alone: no lock, and updated_at (the search
    index's signature) stays as it is."""
    Question.objects.filter(pk=question.pk).update(view_count=F("view_count") + 1)
