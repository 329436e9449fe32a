"""A survey's responses as a table, one row per response and one column per question (per
row for a matrix), written as CSV or XLSX for the survey's owners."""

import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from openpyxl import Workbook

from .models import Answer, Question, Survey

Kind = Question.Kind
# A cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _columns(questions: list[Question]) -> list[tuple[Question, int | None, str]]:
    columns = []
    for q in questions:
        if q.kind == Kind.MATRIX:
            columns += [(q, r, f"{q.position}. {q.text} – {row}") for r, row in enumerate(q.rows)]
        else:
            columns.append((q, None, f"{q.position}. {q.text}"))
    return columns


def _label(question: Question, answer: Answer) -> str:
    if question.kind == Kind.TEXT:
        return answer.text
    if question.kind == Kind.SCALE:
        return str(answer.value)
    scale = question.options
    return scale[answer.value] if answer.value is not None and answer.value < len(scale) else ""


def rows(survey: Survey) -> Iterator[list[str]]:
    """The header, then one row per response in the order received."""
    questions = list(survey.questions.all())
    by_id = {q.pk: q for q in questions}
    columns = _columns(questions)
    yield ["Thời điểm gửi", *[title for _, _, title in columns]]
    answers: dict[int, dict[tuple[int, int | None], list[str]]] = {}
    for answer in Answer.objects.filter(response__survey=survey).order_by("pk"):
        cell = answers.setdefault(answer.response_id, {}).setdefault(
            (answer.question_id, answer.row), []
        )
        cell.append(_label(by_id[answer.question_id], answer))
    for response in survey.responses.order_by("submitted_at", "pk"):
        given = answers.get(response.pk, {})
        at = timezone.localtime(response.submitted_at).strftime("%d/%m/%Y %H:%M")
        yield [at, *[_safe("; ".join(given.get((q.pk, r), []))) for q, r, _ in columns]]


def as_csv(survey: Survey) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows(survey))
    # With a byte order mark, Excel reads the file as UTF-8 (Vietnamese stays readable).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(survey: Survey) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kết quả")
    for row in rows(survey):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
