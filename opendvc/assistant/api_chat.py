"""Assistant API v1: `POST /assistant/ask`, public, rate-limited per client address. The same
engine and storage as the page (chat.py); the conversation is named by its id, which the first
answer returns."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from opendvc.api import ErrorOut, error_body
from opendvc.core import ratelimit
from opendvc.core.http import client_ip

from . import chat

router = Router(tags=["assistant"])
ASKS_PER_MINUTE = 20


class AskIn(Schema):
    question: str = Field(min_length=1, max_length=chat.QUESTION_MAX)
    conversation_id: str | None = None


class AssistantProcedureOut(Schema):
    code: str
    name: str
    url: str


class SourceOut(Schema):
    code: str
    updated_at: datetime


class AnswerOut(Schema):
    answer: str
    procedures: list[AssistantProcedureOut]
    sources: list[SourceOut]
    follow_up: str | None = None
    conversation_id: str


@router.post(
    "/assistant/ask",
    response={200: AnswerOut, 422: ErrorOut, 429: ErrorOut},
    url_name="assistant_ask",
    summary="Ask the assistant",
)
def ask(request: HttpRequest, data: AskIn):
    """An answer grounded in the catalog: the procedures it is about, the records it used
    (code and last update) and, when several procedures fit, the question back."""
    if not ratelimit.hit(
        "assistant-ask", client_ip(request) or "?", limit=ASKS_PER_MINUTE, window=60
    ):
        return Status(
            429, error_body("too_many_requests", "Bạn hỏi quá nhanh, vui lòng thử lại sau.")
        )
    if not data.question.strip():
        return Status(422, error_body("invalid_request", "Hãy nhập câu hỏi."))
    reply, conversation = chat.ask(
        question=data.question, conversation_id=data.conversation_id, now=timezone.now()
    )
    return {
        "answer": reply.answer,
        "procedures": reply.procedures,
        "sources": reply.sources,
        "follow_up": reply.follow_up,
        "conversation_id": str(conversation.pk),
    }
