"""Reads of the published answers: the public list with its search, and a procedure's few."""

from django.db.models import Count, Max

from opendvc.catalog import text_search

from .models import Feedback

PROCEDURE_LIMIT = 5


def _index() -> text_search.TextIndex:
    published = Feedback.objects.published()
    latest = published.aggregate(n=Count("pk"), at=Max("published_at"), a=Max("answered_at"))
    signature = tuple(latest.values())

    def build():
        rows = published.values_list("pk", "title", "content", "answer")
        return text_search.TextIndex.build(
            (pk, [(title, 2.0), (content, 1.0), (answer, 1.0)])
            for pk, title, content, answer in rows
        )

    return text_search.cached("feedback-answers", signature, build)


def published_answers(*, q: str = "", agency=None, procedure_code: str = ""):
    """Published answers, newest first, or by relevance to `q`; a list when searching."""
    answers = Feedback.objects.published().select_related("agency", "procedure")
    if agency is not None:
        answers = answers.filter(agency=agency)
    if procedure_code:
        answers = answers.filter(procedure__code=procedure_code)
    if not q.strip():
        return answers.order_by("-published_at", "-pk")
    ranked = [pk for pk, _ in _index().search(q, limit=500)]
    found = {f.pk: f for f in answers.filter(pk__in=ranked)}
    return [found[pk] for pk in ranked if pk in found]


def for_procedure(procedure) -> list[Feedback]:
    """The latest published answers about a procedure: one query, only what the list shows."""
    return list(
        Feedback.objects.published()
        .filter(procedure=procedure)
        .only("code", "title", "answered_at")
        .order_by("-published_at", "-pk")[:PROCEDURE_LIMIT]
    )
