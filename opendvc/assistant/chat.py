"""The assistant's conversations: asking (one turn stored, masked), forgetting old ones, and
counting what it could not answer. `purge_conversations` is the periodic job."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opendvc.core.text import fold

from .engine.privacy import mask
from .engine.reply import Reply, respond
from .models import Conversation, Turn, UnansweredQuestion

QUESTION_MAX = 500
# A conversation is kept this long after its last turn, then deleted with its turns.
KEEP_HOURS = 24


def _conversation(conversation_id: str | None, now: datetime) -> Conversation:
    try:
        key = uuid.UUID(str(conversation_id)) if conversation_id else None
    except ValueError:
        key = None
    found = Conversation.objects.filter(pk=key).first() if key else None
    return found or Conversation(created_at=now, updated_at=now)


def ask(*, question: str, conversation_id: str | None, now: datetime) -> tuple[Reply, Conversation]:
    """Answer `question` within the conversation (a new one when the id is unknown or
    missing), store the turn with personal data masked, count it if unanswered."""
    question = question.strip()[:QUESTION_MAX]
    conversation = _conversation(conversation_id, now)
    reply = respond(question, last_code=conversation.procedure_code, choices=conversation.choices)
    masked = mask(question)
    with transaction.atomic():
        conversation.procedure_code = reply.procedure_code
        choices = dict(reply.choices)
        if "question" in choices:
            choices["question"] = masked
        conversation.choices = choices
        conversation.updated_at = now
        conversation.save()
        Turn.objects.create(
            conversation=conversation,
            question=masked,
            answer=mask(reply.answer),
            intent=reply.intent,
            procedure_codes=[p["code"] for p in reply.procedures],
            links=[*_procedure_links(reply), *reply.links],
            created_at=now,
        )
        if not reply.is_answered:
            _count_unanswered(masked, now)
    return reply, conversation


def _procedure_links(reply: Reply) -> list[dict]:
    # A clarifying question's options are links too: each opens the record it names.
    if len(reply.procedures) < 2:
        return []
    return [{"label": f"{p['code']} – {p['name']}", "url": p["url"]} for p in reply.procedures]


def _count_unanswered(masked: str, now: datetime) -> None:
    key = " ".join(fold(masked).split())[:200]
    updated = UnansweredQuestion.objects.filter(key=key).update(
        count=F("count") + 1, last_asked_at=now
    )
    if not updated:
        UnansweredQuestion.objects.get_or_create(
            key=key, defaults={"text": masked[:500], "last_asked_at": now}
        )


def purge_conversations(*, now: datetime | None = None) -> int:
    """Delete the conversations idle for longer than ASSISTANT_KEEP_HOURS (default 24);
    return how many. Idempotent: the periodic job may run it as often as it likes."""
    hours = int(getattr(settings, "ASSISTANT_KEEP_HOURS", KEEP_HOURS))
    cutoff = (now or timezone.now()) - timedelta(hours=hours)
    deleted, by_model = Conversation.objects.filter(updated_at__lt=cutoff).delete()
    return by_model.get("assistant.Conversation", 0)


def turns(conversation_id: str | None) -> list[Turn]:
    try:
        key = uuid.UUID(str(conversation_id)) if conversation_id else None
    except ValueError:
        return []
    return list(Turn.objects.filter(conversation_id=key)) if key else []
