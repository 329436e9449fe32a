"""PAKN API v1: send (signed in, or with an address confirmed by a one-time code), follow by
code and secret, the sender's reply, rating and reopening; the officials' list and workflow.

Another person's item, and an item of another agency, answer 404 `not_found` exactly like one
that does not exist. Domain errors (api_schemas.py): 409 `illegal_transition`, 403 `forbidden`,
422 `invalid_request`, 429 `rate_limited`."""

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut
from opendvc.catalog.models import Procedure
from opendvc.core.http import client_ip
from opendvc.directory.models import Agency

from . import access, actions
from . import api_schemas as s
from .models import Feedback

router = Router(tags=["feedback (PAKN)"])

PUBLIC = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def anyone(request: HttpRequest):
    """No sign-in: the endpoint checks its own second factor (a code, a secret)."""
    return "anonymous"


MAYBE_SIGNED_IN = [*signed_in, anyone]


def _ip(request: HttpRequest) -> str:
    return client_ip(request) or ""


def _user(request: HttpRequest):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@router.post(
    "/feedback/verifications",
    response={201: s.VerificationOut, **PUBLIC},
    summary="Send a one-time code",
    description="Sends a 6-digit code to the phone or e-mail, valid 10 minutes, 5 tries. "
    "Rate limited per address and per client.",
)
def start_verification(request: HttpRequest, payload: s.AddressIn):
    verification = actions.start_verification(
        address=payload.address, ip=_ip(request), now=timezone.now()
    )
    return Status(201, verification)


@router.post(
    "/feedback/verifications/confirm",
    response={200: s.ConfirmedOut, **PUBLIC},
    summary="Confirm a one-time code",
)
def confirm_verification(request: HttpRequest, payload: s.ConfirmIn):
    return actions.confirm_verification(token=payload.token, code=payload.code, now=timezone.now())


def _target(payload: s.SubmitIn) -> tuple[Agency | None, Procedure | None]:
    procedure = agency = None
    if payload.procedure_code:
        procedure = Procedure.objects.filter(code=payload.procedure_code).first()
        if procedure is None:
            raise actions.InvalidRequest("Không tìm thấy thủ tục có mã đã nêu.")
    if payload.agency_code:
        agency = Agency.objects.active().filter(code=payload.agency_code).first()
        if agency is None:
            raise actions.InvalidRequest("Không tìm thấy cơ quan có mã đã nêu.")
    return agency, procedure


@router.post(
    "/feedback",
    auth=MAYBE_SIGNED_IN,
    response={201: s.SubmittedOut, **WRITE},
    summary="Send a PAKN",
    description="Multipart form: the fields and up to 3 files (PDF, JPEG, PNG, checked by "
    "content). Signed in, or with `verification_token` of a confirmed address. The secret "
    "is answered once.",
)
def submit(
    request: HttpRequest,
    payload: Form[s.SubmitIn],
    files: File[list[UploadedFile]] = None,
):
    user, now = _user(request), timezone.now()
    verification = None if user else actions.confirmed(payload.verification_token, now)
    agency, procedure = _target(payload)
    feedback, secret = actions.submit_feedback(
        sender=actions.Sender(name=payload.name, user=user, verification=verification),
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        agency=agency,
        procedure=procedure,
        files=files or [],
        ip=_ip(request),
        now=now,
    )
    return Status(201, {**vars(feedback), "secret": secret})


@router.post(
    "/feedback/follow",
    response={200: s.FeedbackOut, **PUBLIC},
    summary="Follow a PAKN by its code and secret (or confirmed phone or e-mail)",
)
def follow(request: HttpRequest, payload: s.FollowIn):
    found = access.find_to_follow(ip=_ip(request), **payload.dict())
    if found is None:
        raise Http404(access.NOT_FOUND)
    return s.sender_view(found)


@router.get(
    "/feedback/mine",
    auth=signed_in,
    response={200: list[s.FeedbackOut], 401: ErrorOut},
    summary="My PAKN",
)
def mine(request: HttpRequest):
    items = Feedback.objects.for_sender(request.user).select_related(
        "agency", "procedure", "merged_into"
    )
    return [s.sender_view(f) for f in items[:200]]


def _own(request: HttpRequest, code: str, secret: str) -> Feedback:
    """The signed-in sender's item, or the one whose secret is given."""
    user = _user(request)
    found = Feedback.objects.select_related("agency", "procedure", "merged_into")
    found = found.filter(code=code).first()
    if found is not None and user is not None and found.sender_id == user.pk:
        return found
    if secret and access.find_to_follow(code=code, secret=secret, contact="", ip=_ip(request)):
        return found
    raise Http404(access.NOT_FOUND)


@router.post(
    "/feedback/{code}/reply",
    auth=MAYBE_SIGNED_IN,
    response={200: s.FeedbackOut, **WRITE},
    summary="Answer the agency's request for information",
)
def reply(request: HttpRequest, code: str, payload: s.ReplyIn):
    feedback = _own(request, code, payload.secret)
    actions.answer_info_request(
        feedback=feedback, by=_user(request), reply=payload.text, now=timezone.now()
    )
    return s.sender_view(feedback)


@router.post(
    "/feedback/{code}/rating",
    auth=MAYBE_SIGNED_IN,
    response={200: s.FeedbackOut, **WRITE},
    summary="Rate the answer",
)
def rate(request: HttpRequest, code: str, payload: s.RatingIn):
    feedback = _own(request, code, payload.secret)
    actions.rate_answer(
        feedback=feedback, by=_user(request), satisfied=payload.satisfied, now=timezone.now()
    )
    return s.sender_view(feedback)


@router.post(
    "/feedback/{code}/reopen",
    auth=MAYBE_SIGNED_IN,
    response={200: s.FeedbackOut, **WRITE},
    summary="Reopen the answer (within 15 days of it)",
)
def reopen(request: HttpRequest, code: str, payload: s.ReplyIn):
    feedback = _own(request, code, payload.secret)
    actions.reopen_feedback(
        feedback=feedback, by=_user(request), reason=payload.text, now=timezone.now()
    )
    return s.sender_view(feedback)


# The officials' endpoints live in api_staff.py; one router is registered for the app.
router.add_router("", "opendvc.feedback.api_staff.router")
