"""Reading a survey's answers from a form post or an API call: which questions are shown
(conditions evaluated here, on the server, so the page needs no JavaScript), what each answer
means, and what is missing or wrong.

Input is a mapping of field names to lists of strings, as a form posts them: `q<id>` for a
question, `q<id>_r<row>` for a row of a matrix. A question hidden by its condition is never
required and whatever was posted for it is dropped.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .models import Question

TEXT_MAX = 2000
Kind = Question.Kind


@dataclass(frozen=True)
class Value:
    question: Question
    row: int | None = None
    value: int | None = None
    text: str = ""


@dataclass
class Outcome:
    values: list[Value] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # field name → message
    shown: set[int] = field(default_factory=set)  # ids of the questions shown

    @property
    def is_valid(self) -> bool:
        return not self.errors


def row_field(question: Question, row: int) -> str:
    return f"{question.field_name}_r{row}"


def _index(raw: str, size: int, start: int = 0) -> int | None:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if start <= number < size + start else None


def _parse(question: Question, data: Mapping[str, list[str]]) -> tuple[list[Value], str | None]:
    """The question's values, or an error for an answer that is not one of its own."""
    posted = [v for v in data.get(question.field_name, []) if str(v).strip() != ""]
    invalid = _("Lựa chọn không hợp lệ.")
    if question.kind == Kind.TEXT:
        text = strip_tags(" ".join(posted)).strip()
        if len(text) > TEXT_MAX:
            return [], _("Tối đa %(n)d ký tự.") % {"n": TEXT_MAX}
        return ([Value(question, text=text)] if text else []), None
    if question.kind == Kind.MATRIX:
        values = []
        for row in range(len(question.rows)):
            cell = [v for v in data.get(row_field(question, row), []) if str(v).strip() != ""]
            if cell:
                index = _index(cell[0], len(question.options))
                if index is None or len(cell) > 1:
                    return [], invalid
                values.append(Value(question, row=row, value=index))
        return values, None
    if question.kind == Kind.SCALE:
        numbers = [_index(v, 5, start=1) for v in posted]
    else:
        numbers = [_index(v, len(question.options)) for v in posted]
    if None in numbers or len(set(numbers)) != len(numbers):
        return [], invalid
    if question.kind != Kind.MULTIPLE and len(numbers) > 1:
        return [], invalid
    return [Value(question, value=n) for n in sorted(numbers)], None


def _missing(question: Question, values: list[Value]) -> bool:
    if question.kind == Kind.MATRIX:
        return len(values) < len(question.rows)
    return not values


def evaluate(questions: Iterable[Question], data: Mapping[str, list[str]]) -> Outcome:
    """The answers to keep and the errors, questions taken in order (a condition always
    names an earlier question, so its answer is known when the condition is read)."""
    outcome = Outcome()
    chosen: dict[int, set[int]] = {}
    for question in questions:
        if question.condition_question_id is not None:
            picked = chosen.get(question.condition_question_id, set())
            if question.condition_option not in picked:
                continue
        outcome.shown.add(question.pk)
        values, error = _parse(question, data)
        if error is None and question.is_required and _missing(question, values):
            error = _("Vui lòng trả lời câu hỏi này.")
        if error:
            outcome.errors[question.field_name] = error
            continue
        chosen[question.pk] = {v.value for v in values if v.value is not None}
        outcome.values.extend(values)
    return outcome


def condition_text(question: Question) -> str:
    """When the question applies, in words, for a page that shows every question."""
    source = question.condition_question
    if source is None:
        return ""
    options = source.options
    option = options[question.condition_option] if question.condition_option < len(options) else ""
    return _("Chỉ trả lời nếu ở câu %(n)s bạn chọn “%(option)s”.") % {
        "n": source.position,
        "option": option,
    }
