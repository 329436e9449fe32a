"""Input and output schemas of the dossier API (citizen and staff), the read functions that
fill the outputs, and the one mapping of the actions' domain errors to answers. Outputs never
carry storage paths, password hashes or tracking secrets (except the one answer to a first
submission)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema

from opendvc.api import api, error_body

from . import workflow
from .actions import DossierError, IllegalTransition, InvalidRequest, NotAllowed
from .models import REASON_LABELS, Dossier, RefusalReason, StopReason, SupplementReason

NOTE_MAX = 2000


# Domain errors, one status each. NotAllowed is only reached once the access helper found the
# dossier visible to the user: what they cannot see has answered 404 before any action runs.
DOMAIN_ERRORS = {
    IllegalTransition: (409, "illegal_transition"),
    NotAllowed: (403, "forbidden"),
    InvalidRequest: (422, "invalid_request"),
}


def on_dossier_error(request: HttpRequest, exc: DossierError):
    status, code = next(
        (answer for kind, answer in DOMAIN_ERRORS.items() if isinstance(exc, kind)),
        (422, "invalid_request"),
    )
    return api.create_response(request, error_body(code, str(exc)), status=status)


api.add_exception_handler(DossierError, on_dossier_error)


# Outputs -----------------------------------------------------------------------------------


class DossierFileOut(Schema):
    id: int
    name: str = Field(description="The applicant's file name, cleaned; never a storage path.")
    size: int
    content_type: str
    sha256: str
    uploaded_at: datetime


class DossierComponentOut(Schema):
    id: int
    name: str
    is_required: bool
    files: list[DossierFileOut]


class TimelineEntryOut(Schema):
    at: datetime
    from_status: int
    status: int = Field(description="Mã trạng thái theo hệ thống quốc gia (1–10).")
    status_label: str
    action: str
    reason_code: str
    reason_label: str
    note: str


class SupplementReasonOut(Schema):
    component_id: int | None = Field(description="null: the dossier as a whole.")
    component_name: str
    code: str
    label: str
    note: str


class SupplementRequestOut(Schema):
    requested_at: datetime
    answered_at: datetime | None
    reasons: list[SupplementReasonOut]


class DossierSummaryOut(Schema):
    id: int
    code: str | None = Field(description="Mã hồ sơ; null while a draft.")
    procedure_code: str
    procedure_name: str
    agency_code: str
    agency_name: str
    channel: int = Field(description="1 trực tiếp, 2 trực tuyến, 3 bưu chính.")
    status: int = Field(description="0 nháp, then the national codes 1–10.")
    status_label: str
    created_at: datetime
    submitted_at: datetime | None
    due_at: datetime | None = Field(description="Hạn trả kết quả; null while paused or none.")


class CitizenDossierOut(DossierSummaryOut):
    case_id: int
    case_name: str
    received_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    form_data: dict = Field(description="The e-form answers as saved.")
    components: list[DossierComponentOut]
    timeline: list[TimelineEntryOut]
    supplement_request: SupplementRequestOut | None = Field(
        description="The open supplement request, with its reasons per component."
    )
    result_summary: str
    has_signed_result: bool = Field(description="GET …/result streams the signed PDF.")
    actions: list[str] = Field(description="What this user may do now: submit, withdraw…")


class SubmittedDossierOut(CitizenDossierOut):
    secret: str | None = Field(
        description="The tracking secret, in the first answer only; null on a replay."
    )


class DossierStepOut(Schema):
    position: int
    name: str
    role: str = Field(description="SPECIALIST or LEADER.")
    working_days: int
    started_at: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    note: str
    is_current: bool


class StaffDossierOut(CitizenDossierOut):
    applicant_type: str
    applicant_name: str
    applicant_phone: str
    applicant_email: str
    applicant_id_number: str
    due_state: str | None = Field(description="overdue, due_soon, on_time; null: no clock.")
    supplements: list[SupplementRequestOut] = Field(description="Every request, oldest first.")
    steps: list[DossierStepOut] = Field(description="Processing steps, copied when forwarded.")


class StaffDossierSummaryOut(DossierSummaryOut):
    applicant_name: str
    due_state: str | None


class CitizenDossierPageOut(Schema):
    items: list[DossierSummaryOut]
    count: int
    page: int
    page_size: int


class StaffDossierPageOut(Schema):
    items: list[StaffDossierSummaryOut]
    count: int
    page: int
    page_size: int


# Inputs ------------------------------------------------------------------------------------


class DraftIn(Schema):
    procedure_code: str = Field(..., max_length=40, description="Mã TTHC, e.g. 1.001193.")
    case_id: int | None = Field(None, description="Needed when the procedure has several cases.")
    agency_code: str | None = Field(
        None, max_length=60, description="Needed when several agencies receive the procedure."
    )


class NoteIn(Schema):
    note: str = Field("", max_length=NOTE_MAX)


class RequiredNoteIn(Schema):
    note: str = Field(..., min_length=1, max_length=NOTE_MAX)


class CodedReasonIn(Schema):
    reason_code: str = Field(..., max_length=40)
    note: str = Field("", max_length=NOTE_MAX)


class RefuseIn(CodedReasonIn):
    reason_code: str = Field(..., max_length=40, description=", ".join(RefusalReason.values))


class StopIn(CodedReasonIn):
    reason_code: str = Field(..., max_length=40, description=", ".join(StopReason.values))
    note: str = Field(..., min_length=1, max_length=NOTE_MAX)


class SupplementReasonIn(Schema):
    component_id: int | None = Field(None, description="null: the dossier as a whole.")
    code: str = Field(..., max_length=40, description=", ".join(SupplementReason.values))
    note: str = Field("", max_length=NOTE_MAX)


class SupplementIn(Schema):
    reasons: list[SupplementReasonIn] = Field(..., min_length=1, max_length=50)


class FinishIn(Schema):
    summary: str = Field(..., min_length=1, max_length=NOTE_MAX)
    result_url: str = Field("", max_length=500)


class ApologyIn(Schema):
    reason: str = Field(..., min_length=1, max_length=NOTE_MAX)
    new_due_at: datetime = Field(..., description="After now and after the current due moment.")


class EmptyIn(Schema):
    pass


# Reads -------------------------------------------------------------------------------------


def summary(dossier: Dossier) -> dict:
    """The list line of a dossier (procedure and agency already selected)."""
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "agency_code": dossier.agency.code,
        "agency_name": dossier.agency.name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "created_at": dossier.created_at,
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.due_at,
    }


def _request(request, names: dict) -> dict:
    return {
        "requested_at": request.requested_at,
        "answered_at": request.answered_at,
        "reasons": [
            {
                "component_id": reason.get("component"),
                "component_name": names.get(reason.get("component"), "Toàn bộ hồ sơ"),
                "code": reason.get("code", ""),
                "label": REASON_LABELS.get(reason.get("code"), reason.get("code", "")),
                "note": reason.get("note", ""),
            }
            for reason in request.reasons
        ],
    }


def detail(dossier: Dossier, user) -> dict:
    """Everything the applicant may see of their dossier; `user` decides the actions offered."""
    components = list(dossier.components.prefetch_related("files"))
    names = {component.pk: component.name for component in components}
    # A draft has no history, supplement request or result yet: status changes begin with its
    # submission, and no transition leads back to a draft (workflow.TRANSITIONS).
    is_draft = dossier.status == Dossier.Status.DRAFT
    requests = [] if is_draft else list(dossier.supplements.all())
    open_request = next((r for r in requests if r.answered_at is None), None)
    roles = workflow.roles_of(user, dossier)
    return {
        **summary(dossier),
        "case_id": dossier.case_id,
        "case_name": dossier.case.name,
        "received_at": dossier.received_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "form_data": dossier.form_data or {},
        "components": [component_view(component) for component in components],
        "timeline": [] if is_draft else [_change(change) for change in dossier.history.all()],
        "supplement_request": _request(open_request, names) if open_request else None,
        "supplements": [_request(request, names) for request in requests],
        "result_summary": dossier.result_summary,
        "has_signed_result": not is_draft and hasattr(dossier, "signed_result"),
        "actions": [
            action
            for action in (*workflow.ACTIONS, "apology")
            if workflow.allows(action, dossier.status)
            and workflow.may_act(user, dossier, action, roles=roles)
        ],
    }


def staff_detail(dossier: Dossier, user, due_state: str | None) -> dict:
    return {
        **detail(dossier, user),
        "applicant_type": dossier.applicant_type,
        "applicant_name": dossier.applicant_name,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_id_number": dossier.applicant_id_number,
        "due_state": due_state,
        "steps": _steps(dossier),
    }


def _steps(dossier: Dossier) -> list[dict]:
    steps = list(dossier.steps.all())
    current = next((step for step in steps if step.completed_at is None), None)
    return [
        {
            "position": step.position,
            "name": step.name,
            "role": step.role,
            "working_days": step.working_days,
            "started_at": step.started_at,
            "due_at": step.due_at,
            "completed_at": step.completed_at,
            "note": step.note,
            "is_current": step is current,
        }
        for step in steps
    ]


def component_view(component) -> dict:
    return {
        "id": component.pk,
        "name": component.name,
        "is_required": component.is_required,
        "files": [
            {
                "id": stored.pk,
                "name": stored.original_name,
                "size": stored.size,
                "content_type": stored.content_type,
                "sha256": stored.sha256,
                "uploaded_at": stored.uploaded_at,
            }
            for stored in component.files.all()
        ],
    }


def _change(change) -> dict:
    return {
        "at": change.at,
        "from_status": change.from_status,
        "status": change.to_status,
        "status_label": change.get_to_status_display(),
        "action": change.action,
        "reason_code": change.reason_code,
        "reason_label": REASON_LABELS.get(change.reason_code, change.reason_code),
        "note": change.note,
    }
