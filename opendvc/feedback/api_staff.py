"""PAKN API v1 for officials: their agencies' items and the workflow actions."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut
from opendvc.directory.models import Agency

from . import access, actions
from . import api_schemas as s
from .models import Feedback

router = Router(tags=["feedback (PAKN): staff"], auth=signed_in)

WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PER_PAGE = 25


@router.get(
    "/staff/feedback",
    response={200: s.StaffPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="My agencies' PAKN",
    description="Filter by state, kind and `overdue`; by due moment, then newest.",
)
def staff_list(request: HttpRequest, params: Query[s.StaffListQuery]):
    now = timezone.now()
    items = Feedback.objects.for_agencies(access.staff_agency_ids(request.user))
    items = items.select_related("agency", "procedure", "merged_into")
    if params.state:
        items = items.filter(state=params.state)
    if params.kind:
        items = items.filter(kind=params.kind)
    if params.overdue:
        items = items.overdue(now=now)
    items = items.order_by("due_at", "-created_at", "-pk")
    start = (params.page - 1) * PER_PAGE
    return {
        "items": [s.staff_view(f, now) for f in items[start : start + PER_PAGE]],
        "count": items.count(),
        "page": params.page,
    }


@router.get(
    "/staff/feedback/{code}",
    response={200: s.StaffFeedbackOut, 401: ErrorOut, 404: ErrorOut},
    summary="One PAKN of my agencies",
)
def staff_detail(request: HttpRequest, code: str):
    return s.staff_view(access.get_for_official_or_404(request.user, code), timezone.now())


def _act(request: HttpRequest, code: str, action, **kwargs) -> dict:
    feedback = access.get_for_official_or_404(request.user, code)
    now = timezone.now()
    action(feedback=feedback, by=request.user, now=now, **kwargs)
    return s.staff_view(feedback, now)


def _post(path: str, summary: str):
    return router.post(path, response={200: s.StaffFeedbackOut, **WRITE}, summary=summary)


@_post("/staff/feedback/{code}/accept", "Take in")
def accept(request: HttpRequest, code: str):
    return _act(request, code, actions.accept_feedback)


@_post("/staff/feedback/{code}/reject", "Refuse, with the reason")
def reject(request: HttpRequest, code: str, payload: s.ReasonIn):
    return _act(request, code, actions.reject_feedback, reason=payload.text)


@_post("/staff/feedback/{code}/request-info", "Ask the sender for more information")
def request_info(request: HttpRequest, code: str, payload: s.ReasonIn):
    return _act(request, code, actions.request_info, question=payload.text)


@_post("/staff/feedback/{code}/draft", "Draft the answer (specialist)")
def draft(request: HttpRequest, code: str, payload: s.ReasonIn):
    return _act(request, code, actions.draft_answer, answer=payload.text)


@_post("/staff/feedback/{code}/approve", "Approve and send the answer (leader)")
def approve(request: HttpRequest, code: str, payload: s.ApproveIn):
    return _act(request, code, actions.approve_answer, answer=payload.text)


@_post("/staff/feedback/{code}/publish", "Publish the answer or keep it private")
def publish(request: HttpRequest, code: str, payload: s.PublishIn):
    return _act(request, code, actions.publish_answer, public=payload.public)


@_post("/staff/feedback/{code}/merge", "Merge into the item kept")
def merge(request: HttpRequest, code: str, payload: s.MergeIn):
    into = access.get_for_official_or_404(request.user, payload.into.strip().upper())
    return _act(request, code, actions.merge_feedback, into=into)


@_post("/staff/feedback/{code}/classify", "Correct the classification")
def classify(request: HttpRequest, code: str, payload: s.ClassifyIn):
    return _act(request, code, actions.classify_feedback, kind=payload.kind)


@_post("/staff/feedback/{code}/reroute", "Send to another agency")
def reroute(request: HttpRequest, code: str, payload: s.RerouteIn):
    agency = Agency.objects.active().filter(code=payload.agency_code).first()
    if agency is None:
        raise actions.InvalidRequest("Không tìm thấy cơ quan có mã đã nêu.")
    return _act(request, code, actions.reroute_feedback, agency=agency)
