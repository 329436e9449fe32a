"""Input and output schemas of the questions API, the functions that fill the outputs, and
the one mapping of the actions' domain errors to answers. Public outputs never carry the
asker."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema

from opendvc.api import ErrorOut, api, error_body

from . import actions
from .models import ANSWER_MAX, REASON_MAX, TEXT_MAX, TITLE_MAX, Question

READ = {401: ErrorOut, 404: ErrorOut}
# 403 is also a cookie-signed-in request without its CSRF token.
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DOMAIN_ERRORS = {
    actions.NotAllowed: (403, "forbidden"),
    actions.IllegalState: (409, "illegal_state"),
    actions.TooManyQuestions: (429, "too_many_requests"),
}


def on_question_error(request: HttpRequest, exc: actions.QuestionError):
    status, code = DOMAIN_ERRORS.get(type(exc), (422, "invalid_request"))
    return api.create_response(request, error_body(code, str(exc)), status=status)


api.add_exception_handler(actions.QuestionError, on_question_error)


class FaqOut(Schema):
    """A published question as anyone may read it: no asker, no contact data."""

    id: int
    title: str
    question: str
    answer: str
    procedure_code: str | None
    field: str | None
    agency_name: str
    answered_at: datetime
    views: int
    url: str


class OwnQuestionOut(Schema):
    id: int
    title: str
    question: str
    state: str
    procedure_code: str | None
    agency_name: str
    created_at: datetime
    due_at: datetime
    answer: str
    answered_at: datetime | None
    reject_reason: str


class StaffQuestionOut(OwnQuestionOut):
    asker_name: str
    public_title: str
    public_question: str
    is_overdue: bool


class AskIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    question: str = Field(..., min_length=1, max_length=TEXT_MAX)
    agency_code: str = Field(..., max_length=60)
    procedure_code: str | None = Field(None, max_length=40)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=ANSWER_MAX)
    publish: bool = False


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class FaqQuery(Schema):
    q: str = Field("", max_length=200)
    procedure: str | None = Field(None, max_length=40, description="Mã thủ tục")
    field: str | None = Field(None, max_length=200, description="Lĩnh vực (slug)")
    agency: str | None = Field(None, max_length=60, description="Mã cơ quan")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class StaffQuery(Schema):
    state: Question.State | None = None
    procedure: str | None = Field(None, max_length=40)
    overdue: bool = False
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class FaqPageOut(Schema):
    items: list[FaqOut]
    count: int
    page: int


class StaffPageOut(Schema):
    items: list[StaffQuestionOut]
    count: int
    page: int


def faq(q: Question) -> dict:
    return {
        "id": q.pk,
        "title": q.shown_title,
        "question": q.shown_text,
        "answer": q.answer,
        "procedure_code": q.procedure.code if q.procedure else None,
        "field": q.field.name if q.field else None,
        "agency_name": q.agency.name,
        "answered_at": q.answered_at,
        "views": q.view_count,
        "url": q.get_absolute_url(),
    }


def own(q: Question) -> dict:
    return {
        "id": q.pk,
        "title": q.title,
        "question": q.text,
        "state": q.state,
        "procedure_code": q.procedure.code if q.procedure else None,
        "agency_name": q.agency.name,
        "created_at": q.created_at,
        "due_at": q.due_at,
        "answer": q.answer if q.state != Question.State.NEW else "",
        "answered_at": q.answered_at,
        "reject_reason": q.reject_reason,
    }


def staff(q: Question, now: datetime) -> dict:
    return own(q) | {
        "answer": q.answer,
        "asker_name": q.asker.full_name if q.asker else "",
        "public_title": q.public_title,
        "public_question": q.public_text,
        "is_overdue": q.due_state(now) == "overdue",
    }


def page_of(items, params) -> tuple[list, int]:
    start = (params.page - 1) * params.page_size
    if isinstance(items, list):
        return items[start : start + params.page_size], len(items)
    return list(items[start : start + params.page_size]), items.count()
