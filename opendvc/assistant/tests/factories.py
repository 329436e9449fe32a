from datetime import UTC, datetime, timedelta

import factory

from opendvc.assistant.models import Question

ASKED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội


class QuestionFactory(factory.django.DjangoModelFactory):
    """A new question; `published=True` gives it an answer and puts it on the FAQ."""

    class Meta:
        model = Question

    title = factory.Sequence(lambda n: f"Câu hỏi thử nghiệm {n}")
    text = "Tôi muốn hỏi về hồ sơ cần chuẩn bị."
    created_at = ASKED_AT
    updated_at = ASKED_AT
    due_at = ASKED_AT + timedelta(days=7)

    class Params:
        published = factory.Trait(
            state=Question.State.PUBLISHED,
            answer="Hồ sơ gồm tờ khai và giấy tờ tùy thân.",
            answered_at=ASKED_AT + timedelta(days=1),
            published_at=ASKED_AT + timedelta(days=1),
        )
