"""The published answers as a knowledge base: the FAQ search, and the interface the assistant
will ask (`search_answers`). Only published questions are ever indexed or returned."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from opendvc.catalog import text_search
from opendvc.catalog.models import Procedure

from .models import Question

INDEX_NAME = "assistant.faq"
# A search returns at most this many matches before the page's filters; the FAQ is small
# and no reader pages past a few hundred answers.
SEARCH_DEPTH = 500


@dataclass(frozen=True)
class Answer:
    question_id: int
    title: str
    answer: str
    procedure_code: str
    agency_name: str
    answered_at: datetime
    url: str


def _build() -> text_search.TextIndex:
    rows = Question.objects.published().values_list(
        "pk", "title", "public_title", "text", "public_text", "answer"
    )
    return text_search.TextIndex.build(
        (pk, [(public_title or title, 2.0), (public_text or text, 1.0), (answer, 1.0)])
        for pk, title, public_title, text, public_text, answer in rows
    )


def _index() -> text_search.TextIndex:
    # Any change to any question moves its updated_at (count_view does not), so the index is
    # rebuilt when one is published, hidden, reworded or answered again.
    signature = tuple(Question.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    return text_search.cached(INDEX_NAME, signature, _build)


def search_ids(q: str, *, limit: int = SEARCH_DEPTH) -> list[int]:
    """The published questions matching `q`, best first."""
    if not q.strip():
        return []
    return [pk for pk, _ in _index().search(q, limit=limit)]


def ranked(ids: list[int], queryset) -> list[Question]:
    """The rows of `queryset` among `ids`, in the order of `ids`."""
    rows = {question.pk: question for question in queryset.filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def search_answers(q: str, *, procedure: Procedure | str | None = None, limit: int = 5):
    """The published answers best matching `q`, optionally about one procedure (a Procedure
    or its code), as plain values the assistant can quote and link to."""
    questions = Question.objects.published().select_related("procedure", "agency")
    if procedure is not None:
        code = procedure if isinstance(procedure, str) else procedure.code
        questions = questions.filter(procedure__code=code)
    found = ranked(search_ids(q), questions)[:limit]
    return [
        Answer(
            question_id=question.pk,
            title=question.shown_title,
            answer=question.answer,
            procedure_code=question.procedure.code if question.procedure else "",
            agency_name=question.agency.name,
            answered_at=question.answered_at,
            url=question.get_absolute_url(),
        )
        for question in found
    ]
