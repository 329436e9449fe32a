"""A survey's results: counts per option, scale level and matrix cell, aggregated in SQL, and
the texts written; read-only."""

from dataclasses import dataclass, field

from django.db.models import Count

from .charts import Chart, bar_chart
from .models import Answer, Question, Survey

Kind = Question.Kind
TEXTS_SHOWN = 200


@dataclass
class QuestionResult:
    question: Question
    answered: int  # responses that answered it
    counts: list[tuple[str, int]] = field(default_factory=list)  # label, count
    # A matrix: per row, the count of each level of the shared scale.
    matrix: list[tuple[str, list[int]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    chart: Chart | None = None


def _chart(question: Question, counts: list[tuple[str, int]], answered: int) -> Chart:
    return bar_chart(question.text, [(label, n) for label, n in counts], max(answered, 1), "{:g}")


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """The number of responses and each question's figures, in the survey's order."""
    questions = list(survey.questions.all())
    answers = Answer.objects.filter(question__survey=survey)
    cells = {
        (row["question"], row["row"], row["value"]): row["n"]
        for row in answers.exclude(value=None)
        .values("question", "row", "value")
        .annotate(n=Count("id"))
    }
    answered = dict(
        answers.values("question")
        .annotate(n=Count("response", distinct=True))
        .values_list("question", "n")
    )
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Kind.TEXT)
        .order_by("response__submitted_at", "pk")
        .values_list("question", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for q in questions:
        result = QuestionResult(q, answered.get(q.pk, 0))
        scale = q.scale
        if q.kind == Kind.MATRIX:
            result.matrix = [
                (label, [cells.get((q.pk, r, v), 0) for v in range(len(scale))])
                for r, label in enumerate(q.rows)
            ]
        elif q.kind == Kind.TEXT:
            result.texts = texts.get(q.pk, [])[:TEXTS_SHOWN]
        else:
            offset = 1 if q.kind == Kind.SCALE else 0
            result.counts = [
                (label, cells.get((q.pk, None, i + offset), 0)) for i, label in enumerate(scale)
            ]
            result.chart = _chart(q, result.counts, result.answered)
        results.append(result)
    return survey.responses.count(), results
