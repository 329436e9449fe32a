"""Dossiers API v1 for officials: the inbox of their agencies' dossiers, one dossier, and one
endpoint per workflow action, each with its own typed body.

Anyone without a staff role, and any official asking for another agency's dossier, gets
404 `not_found`, the answer for a dossier that does not exist. An official who can see the
dossier but whose role may not take the action gets 403 `forbidden`; an action the status
does not allow, 409 `illegal_transition`; bad input, 422 (opendvc/api.py maps them).

The processing steps (actions/steps.py) are two more actions of the same shape:
`complete_step` and `return_step`. Another action is one more STAFF_ACTIONS entry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from opendvc.accounts.models import StaffRole
from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut

from . import access, actions
from . import api_schemas as s
from .models import Dossier
from .views_staff import SOON, due_state

router = Router(tags=["dossiers: staff"], auth=signed_in)

READ = {401: ErrorOut, 404: ErrorOut}
ACTION_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DUE_FILTERS = ("overdue", "due_soon", "on_time")


def _official_or_404(user) -> None:
    if not StaffRole.objects.filter(user=user, user__is_active=True).exists():
        raise Http404(access.NOT_FOUND)


class InboxQuery(Schema):
    status: int | None = Field(None, ge=1, le=10)
    channel: int | None = Field(None, ge=1, le=3, description="1 counter, 2 online, 3 postal.")
    due: str | None = Field(None, pattern="^(overdue|due_soon|on_time)$")
    q: str = Field("", max_length=200, description="Part of the code or the applicant's name.")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


def _inbox(user, params: InboxQuery, now: datetime):
    dossiers = Dossier.objects.for_official(user).select_related("procedure", "agency")
    if params.q.strip():
        q = params.q.strip()
        dossiers = dossiers.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q))
    if params.status is not None:
        dossiers = dossiers.filter(status=params.status)
    if params.channel is not None:
        dossiers = dossiers.filter(channel=params.channel)
    if params.due == "overdue":
        dossiers = dossiers.overdue(now=now)
    elif params.due == "due_soon":
        dossiers = dossiers.due_soon(now=now, days=SOON.days)
    elif params.due == "on_time":
        dossiers = dossiers.clock_running().filter(due_at__gte=now + SOON)
    return dossiers


@router.get(
    "/staff/dossiers",
    response={200: s.StaffDossierPageOut, **READ, 422: ErrorOut},
    summary="Inbox of my agencies' dossiers",
    description="Submitted dossiers of every agency where the official holds a role, filtered "
    "by status, channel, due state and a search on code or applicant name; paged. Three "
    "queries whatever the page size.",
)
def inbox(request: HttpRequest, params: Query[InboxQuery]):
    _official_or_404(request.user)
    now = timezone.now()
    dossiers = _inbox(request.user, params, now)
    start = (params.page - 1) * params.page_size
    items = [
        {**s.summary(d), "applicant_name": d.applicant_name, "due_state": due_state(d, now)}
        for d in dossiers[start : start + params.page_size]
    ]
    return {
        "items": items,
        "count": dossiers.count(),
        "page": params.page,
        "page_size": params.page_size,
    }


def _detail(request: HttpRequest, dossier: Dossier) -> dict:
    shown = s.staff_detail(dossier, request.user, due_state(dossier, timezone.now()))
    # The applicant's own actions (submit, resubmit, withdraw) are not taken through here.
    shown["actions"] = [action for action in shown["actions"] if action in STAFF_ACTIONS]
    return shown


@router.get(
    "/staff/dossiers/{code}",
    response={200: s.StaffDossierOut, **READ},
    summary="One dossier of my agencies",
)
def get_dossier(request: HttpRequest, code: str):
    return _detail(request, access.get_dossier_for_official_or_404(request.user, code))


@dataclass(frozen=True)
class StaffAction:
    body: type[Schema]
    run: Callable  # (dossier, by, now, body) -> None: one action call
    summary: str


def _noted(action: Callable) -> Callable:
    return lambda d, by, now, body: action(dossier=d, by=by, now=now, note=body.note)


def _coded(action: Callable) -> Callable:
    def run(d, by, now, body):
        action(dossier=d, by=by, now=now, reason_code=body.reason_code, note=body.note)

    return run


def _supplement(d, by, now, body: s.SupplementIn) -> None:
    reasons = [{"component": r.component_id, "code": r.code, "note": r.note} for r in body.reasons]
    actions.request_supplement(dossier=d, by=by, reasons=reasons, now=now)


def _finish(d, by, now, body: s.FinishIn) -> None:
    actions.finish_dossier(
        dossier=d, by=by, now=now, summary=body.summary, result_url=body.result_url
    )


def _apology(d, by, now, body: s.ApologyIn) -> None:
    if timezone.is_naive(body.new_due_at):
        raise actions.InvalidRequest("Thời hạn mới cần ghi kèm múi giờ (ví dụ +07:00).")
    actions.issue_apology(dossier=d, by=by, reason=body.reason, new_due_at=body.new_due_at, now=now)


# The workflow's staff actions (workflow.ACTORS), with the body each takes.
STAFF_ACTIONS: dict[str, StaffAction] = {
    "accept": StaffAction(
        s.EmptyIn,
        lambda d, by, now, body: actions.accept_dossier(dossier=d, by=by, now=now),
        "Accept (tiếp nhận): 1 → 2; sets the due moment",
    ),
    "refuse": StaffAction(
        s.RefuseIn, _coded(actions.refuse_dossier), "Refuse (từ chối tiếp nhận): 1 → 3"
    ),
    "forward": StaffAction(
        s.NoteIn, _noted(actions.forward_for_processing), "Forward for processing: 2 → 4"
    ),
    "request_supplement": StaffAction(
        s.SupplementIn, _supplement, "Request a supplement: 2 or 4 → 5; pauses the clock"
    ),
    "request_payment": StaffAction(
        s.NoteIn, _noted(actions.request_financial_obligation), "Request payment: 4 → 6"
    ),
    "confirm_payment": StaffAction(
        s.NoteIn, _noted(actions.confirm_payment), "Confirm payment: 6 → 4"
    ),
    "stop": StaffAction(s.StopIn, _coded(actions.stop_processing), "Stop processing: 4 → 8"),
    "finish": StaffAction(s.FinishIn, _finish, "Finish (đã xử lý xong): 4 → 9"),
    "return_result": StaffAction(
        s.NoteIn, _noted(actions.return_result), "Return the result: 9 → 10"
    ),
    "apology": StaffAction(
        s.ApologyIn, _apology, "Apologise and set a new due moment (once, while the clock runs)"
    ),
    # Processing steps, while the dossier is 4: the holder of the current step's role.
    "complete_step": StaffAction(
        s.NoteIn,
        _noted(actions.complete_step),
        "Complete the current processing step; the next one starts",
    ),
    "return_step": StaffAction(
        s.RequiredNoteIn,
        _noted(actions.return_step),
        "Send the dossier back to the step before, with the reason",
    ),
}

ACTION_DESCRIPTION = (
    "Answers the dossier after the action. 404 `not_found` for a dossier the official cannot "
    "see; 403 `forbidden` when their role may not take this action; 409 `illegal_transition` "
    "when the dossier's status does not allow it; 422 `invalid_input` or `invalid_request` for "
    "a bad body (unknown reason code, missing note…)."
)


def _register(name: str, action: StaffAction) -> None:
    # A body whose fields all have defaults may be left out altogether.
    optional = all(not f.is_required() for f in action.body.model_fields.values())

    def endpoint(request: HttpRequest, code: str, body: action.body = None if optional else ...):
        dossier = access.get_dossier_for_official_or_404(request.user, code)
        action.run(dossier, request.user, timezone.now(), body or action.body())
        return _detail(request, dossier)

    endpoint.__name__ = f"staff_{name}"
    router.post(
        f"/staff/dossiers/{{code}}/actions/{name}",
        response={200: s.StaffDossierOut, **ACTION_ERRORS},
        summary=action.summary,
        description=ACTION_DESCRIPTION,
        operation_id=f"staff_dossier_{name}",
    )(endpoint)


for _name, _action in STAFF_ACTIONS.items():
    _register(_name, _action)


@router.post("/staff/dossiers/{code}/actions/{action}", response=READ, include_in_schema=False)
def unknown_action(request: HttpRequest, code: str, action: str):
    """Any other action name: the same 404 as a dossier that does not exist."""
    access.get_dossier_for_official_or_404(request.user, code)
    raise Http404(access.NOT_FOUND)
