"""A survey's results: counts per option, scale level and matrix cell, aggregated in SQL, and
the texts written; read-only."""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from .charts import Chart, bar_chart
from .models import Answer, Question, Survey

Kind = Question.Kind
TEXTS_SHOWN = 200
Cells = dict[tuple[int, int | None, int], int]  # (question, row, value) → count


@dataclass
class QuestionResult:
    question: Question
    answered: int  # responses that answered it
    counts: list[tuple[str, int]] = field(default_factory=list)  # label, count
    # A matrix: per row, the count of each level of the shared scale.
    matrix: list[tuple[str, list[int]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    chart: Chart | None = None


def _cells(answers: QuerySet) -> Cells:
    rows = answers.exclude(value=None).values("question", "row", "value").annotate(n=Count("id"))
    return {(row["question"], row["row"], row["value"]): row["n"] for row in rows}


def _texts(answers: QuerySet) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    written = answers.filter(question__kind=Kind.TEXT).order_by("response__submitted_at", "pk")
    for question_id, text in written.values_list("question", "text"):
        found.setdefault(question_id, []).append(text)
    return found


def _matrix(result: QuestionResult, cells: Cells) -> None:
    """Counts per row and level; the chart shows each row's average level (1 = the first)."""
    q = result.question
    size = len(q.options)
    result.matrix = [
        (label, [cells.get((q.pk, r, v), 0) for v in range(size)]) for r, label in enumerate(q.rows)
    ]
    averages = []
    for label, counts in result.matrix:
        total = sum(counts)
        averages.append(
            (label, sum((v + 1) * n for v, n in enumerate(counts)) / total if total else 0)
        )
    title = _("%(question)s: mức trung bình của từng dòng (1–%(n)d)") % {
        "question": q.text,
        "n": size,
    }
    result.chart = bar_chart(title, averages, size, "{:.2f}")


def _choices(result: QuestionResult, cells: Cells) -> None:
    q = result.question
    offset = 1 if q.kind == Kind.SCALE else 0
    result.counts = [
        (label, cells.get((q.pk, None, i + offset), 0)) for i, label in enumerate(q.scale)
    ]
    result.chart = bar_chart(q.text, result.counts, max(result.answered, 1))


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """The number of responses and each question's figures, in the survey's order."""
    answers = Answer.objects.filter(question__survey=survey)
    cells, texts = _cells(answers), _texts(answers)
    by_question = answers.values("question").annotate(n=Count("response", distinct=True))
    answered = dict(by_question.values_list("question", "n"))
    results = []
    for q in survey.questions.all():
        result = QuestionResult(q, answered.get(q.pk, 0))
        if q.kind == Kind.MATRIX:
            _matrix(result, cells)
        elif q.kind == Kind.TEXT:
            result.texts = texts.get(q.pk, [])[:TEXTS_SHOWN]
        else:
            _choices(result, cells)
        results.append(result)
    return survey.responses.count(), results
