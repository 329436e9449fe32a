"""Input and output schemas of the PAKN API, the functions that fill the outputs, and the one
mapping of the actions' domain errors to answers. Outputs never carry secret hashes or file
paths; the sender's contact shows only to the agency's officials."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema

from opendvc.api import api, error_body

from .actions import FeedbackError, IllegalTransition, InvalidRequest, NotAllowed, RateLimited
from .models import Feedback

DOMAIN_ERRORS = {
    IllegalTransition: (409, "illegal_transition"),
    NotAllowed: (403, "forbidden"),
    RateLimited: (429, "rate_limited"),
    InvalidRequest: (422, "invalid_request"),
}


def on_feedback_error(request: HttpRequest, exc: FeedbackError):
    status, code = next(
        (answer for kind, answer in DOMAIN_ERRORS.items() if isinstance(exc, kind)),
        (422, "invalid_request"),
    )
    return api.create_response(request, error_body(code, str(exc)), status=status)


api.add_exception_handler(FeedbackError, on_feedback_error)

TEXT = Field(..., min_length=1, max_length=5000)


class AddressIn(Schema):
    address: str = Field(..., max_length=254, description="A mobile number or an e-mail.")


class VerificationOut(Schema):
    token: str = Field(description="Names this verification in the confirm and submit calls.")
    expires_at: datetime


class ConfirmIn(Schema):
    token: str = Field(..., max_length=64)
    code: str = Field(..., max_length=6)


class ConfirmedOut(Schema):
    token: str
    confirmed_at: datetime


class SubmitIn(Schema):
    kind: Feedback.Kind
    title: str = Field(..., max_length=200)
    content: str = Field(..., max_length=5000)
    agency_code: str = Field("", max_length=60, description="Empty: the procedure's agency.")
    procedure_code: str = Field("", max_length=40)
    name: str = Field("", max_length=150, description="Required without an account.")
    verification_token: str = Field("", max_length=64, description="A confirmed verification.")


class SubmittedOut(Schema):
    code: str
    secret: str = Field(description="Shown once: with the code, it follows the item.")
    state: str
    answer_due_at: datetime | None


class FollowIn(Schema):
    code: str = Field(..., max_length=20)
    secret: str = Field("", max_length=20)
    contact: str = Field("", max_length=254, description="Or the confirmed phone or e-mail.")


class SenderIn(Schema):
    secret: str = Field("", max_length=20, description="Not needed by the signed-in sender.")


class ReplyIn(SenderIn):
    text: str = TEXT


class RatingIn(SenderIn):
    satisfied: bool


class FeedbackOut(Schema):
    code: str
    kind: str
    title: str
    content: str
    state: str
    state_label: str
    agency_code: str
    agency_name: str
    procedure_code: str | None
    created_at: datetime
    answer_due_at: datetime | None
    info_request: str
    reject_reason: str
    answer: str = Field(description="The answer sent (a merged item's: the kept item's).")
    answered_at: datetime | None
    rating: str
    reopen_until: datetime | None
    merged_into: str | None


class StaffFeedbackOut(FeedbackOut):
    sender_name: str
    sender_email: str
    sender_phone: str
    due_at: datetime | None
    is_overdue: bool
    draft: str
    publication: str
    info_reply: str


class StaffPageOut(Schema):
    items: list[StaffFeedbackOut]
    count: int
    page: int


class StaffListQuery(Schema):
    state: Feedback.State | None = None
    kind: Feedback.Kind | None = None
    overdue: bool = False
    page: int = Field(1, ge=1, le=10_000)


class ReasonIn(Schema):
    text: str = TEXT


class ApproveIn(Schema):
    text: str = Field("", max_length=5000, description="Empty: the draft as it is.")


class PublishIn(Schema):
    public: bool


class MergeIn(Schema):
    into: str = Field(..., max_length=20, description="The code of the item kept.")


class ClassifyIn(Schema):
    kind: Feedback.Kind


class RerouteIn(Schema):
    agency_code: str = Field(..., max_length=60)


def sender_view(feedback: Feedback) -> dict:
    shown = feedback.merged_into or feedback
    answered = shown.state == Feedback.State.ANSWERED
    return {
        "code": feedback.code,
        "kind": feedback.kind,
        "title": feedback.title,
        "content": feedback.content,
        "state": feedback.state,
        "state_label": feedback.get_state_display(),
        "agency_code": feedback.agency.code,
        "agency_name": feedback.agency.name,
        "procedure_code": feedback.procedure.code if feedback.procedure_id else None,
        "created_at": feedback.created_at,
        "answer_due_at": feedback.answer_due_at,
        "info_request": feedback.info_request,
        "reject_reason": feedback.reject_reason,
        "answer": shown.answer if answered else "",
        "answered_at": shown.answered_at if answered else None,
        "rating": feedback.rating,
        "reopen_until": feedback.reopen_until,
        "merged_into": feedback.merged_into.code if feedback.merged_into_id else None,
    }


def staff_view(feedback: Feedback, now: datetime) -> dict:
    return {
        **sender_view(feedback),
        "sender_name": feedback.sender_name,
        "sender_email": feedback.sender_email,
        "sender_phone": feedback.sender_phone,
        "due_at": feedback.due_at,
        "is_overdue": bool(feedback.due_at and feedback.due_at < now),
        "draft": feedback.answer,
        "publication": feedback.publication,
        "info_reply": feedback.info_reply,
    }
