"""Dossiers API v1 for the applicant: their own drafts and dossiers, nobody else's.

A dossier is addressed by its numeric `id`, draft or submitted; the answer carries its `code`
once submitted. Another person's dossier answers 404 `not_found`, exactly like one that does
not exist. Domain errors are mapped once, in opendvc/api.py: 409 `illegal_transition`,
403 `forbidden`, 422 `invalid_request`.
"""

from contextlib import contextmanager

from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Body, Field, File, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut, error_body
from opendvc.catalog.models import Procedure
from opendvc.directory.models import Agency

from . import access, actions
from . import api_schemas as s
from .forms_citizen import blocking_findings, eform_for, receiving_agencies
from .models import ComponentFile, Dossier, SubmissionKey

router = Router(tags=["dossiers: applicant"], auth=signed_in)

READ = {401: ErrorOut, 404: ErrorOut}
# 403 is a cookie-signed-in request without its CSRF token.
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
DRAFT_FIELDS = ("procedure_code", "case_id", "agency_code")


def _view(request: HttpRequest, dossier: Dossier) -> dict:
    return s.detail(dossier, request.user)


KEPT = ("procedure", "case", "agency")


@contextmanager
def _catalog_rows_kept(dossier: Dossier):
    """An action reloads the dossier's row, which drops its procedure, case and agency already
    read; the answer would read them again. Put back those the dossier still points to."""
    fields = [Dossier._meta.get_field(name) for name in KEPT]
    kept = {field: field.get_cached_value(dossier) for field in fields if field.is_cached(dossier)}
    yield
    for field, row in kept.items():
        if getattr(dossier, field.attname) == row.pk and not field.is_cached(dossier):
            field.set_cached_value(dossier, row)


class ListQuery(Schema):
    status: int | None = Field(None, ge=0, le=10, description="0 drafts, 1–10 national codes.")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get(
    "/dossiers",
    response={200: s.CitizenDossierPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="My dossiers",
    description="The signed-in user's own dossiers, drafts included, newest first, paged.",
)
def list_dossiers(request: HttpRequest, params: Query[ListQuery]):
    dossiers = (
        Dossier.objects.for_citizen(request.user)
        .select_related("procedure", "agency")
        .order_by("-created_at", "-pk")
    )
    if params.status is not None:
        dossiers = dossiers.filter(status=params.status)
    start = (params.page - 1) * params.page_size
    return {
        "items": [s.summary(d) for d in dossiers[start : start + params.page_size]],
        "count": dossiers.count(),
        "page": params.page,
        "page_size": params.page_size,
    }


@router.post(
    "/dossiers",
    response={201: s.CitizenDossierOut, **WRITE},
    summary="Start a draft",
    description=(
        "Start a draft of an online procedure. `case_id` and `agency_code` may be left out when "
        "the procedure has one case or one receiving agency. 403 `forbidden` for an official's "
        "account (counter dossiers are registered on the staff site). 422 `invalid_input` "
        "names the field that is unknown or missing; 422 `invalid_request` when the agency "
        "does not receive the procedure."
    ),
)
def create_dossier(request: HttpRequest, payload: s.DraftIn):
    target = draft_target(
        request.user, payload.procedure_code, payload.case_id, payload.agency_code
    )
    if isinstance(target, Status):
        return target
    case, agency = target
    draft = actions.create_draft(by=request.user, case=case, agency=agency, now=timezone.now())
    return Status(201, _view(request, draft))


def draft_target(user, procedure_code: str, case_id, agency_code, *, names=DRAFT_FIELDS):
    """The case and the receiving agency a new draft is for, or the 422 answer naming the
    field (`names`: how the request calls procedure, case and agency). An official's account
    raises NotAllowed: the desk registers counter dossiers on the staff site."""
    if user.is_official:
        raise actions.NotAllowed("Tài khoản cán bộ không nộp hồ sơ trực tuyến qua API này.")
    procedure = Procedure.objects.public().filter(code=(procedure_code or "").strip()).first()
    if procedure is None or not procedure.is_online:
        return _invalid(names[0], "Không có thủ tục trực tuyến với mã này.")
    # Its documents are read twice: the draft's components, and the e-form's note.
    case = _one(procedure.cases.prefetch_related("documents"), case_id, "pk")
    if case is None:
        return _invalid(names[1], "Cần chọn một trường hợp của thủ tục.")
    case.procedure = procedure  # the action and the answer read it: no second query
    if agency_code is not None:
        # Whether it receives the procedure is the action's check (422 invalid_request).
        agency = Agency.objects.filter(code=agency_code).first()
    else:
        agency = _one(receiving_agencies(procedure), None, "code")
    if agency is None:
        return _invalid(names[2], "Cần chọn cơ quan tiếp nhận hồ sơ.")
    return case, agency


def _one(choices, given, field: str):
    """The choice named by `given`, or the only choice when nothing is given."""
    if given is not None:
        return choices.filter(**{field: given}).first()
    found = list(choices[:2])
    return found[0] if len(found) == 1 else None


def _invalid(field: str, message: str) -> Status:
    details = [{"field": field, "message": message}]
    return Status(422, error_body("invalid_input", message, details))


@router.get(
    "/dossiers/{int:dossier_id}",
    response={200: s.CitizenDossierOut, **READ},
    summary="One of my dossiers",
    description="Status and label, due moment, timeline, components with their files, the "
    "open supplement request with its reasons per component, and the actions open now.",
)
def get_dossier(request: HttpRequest, dossier_id: int):
    return _view(request, access.get_own_dossier_for_citizen_or_404(request.user, dossier_id))


class FormFindingOut(Schema):
    code: str
    field: str
    severity: str = Field(description="warning or info: never blocking once saved.")
    message: str
    suggestion: str


class FormSavedOut(s.CitizenDossierOut):
    findings: list[FormFindingOut]


@router.patch(
    "/dossiers/{int:dossier_id}/form",
    response={200: FormSavedOut, **WRITE},
    summary="Save a draft's e-form answers",
    description=(
        "The answers sent are merged into those saved (a field sent as null is cleared), then "
        "the whole form is checked as the filing page checks it. 422 `invalid_form` lists "
        "each field in error (`details`); nothing is saved then. Warnings do not block: they "
        "come back in `findings`. 409 once the dossier is submitted."
    ),
)
def save_form(request: HttpRequest, dossier_id: int, answers_in: Body[dict]):
    draft = access.get_draft_for_citizen_or_404(request.user, dossier_id)
    merged = {**(draft.form_data or {}), **answers_in}
    form = eform_for(draft, request.user, {k: v for k, v in merged.items() if v is not None})
    if not form.is_valid():
        return _form_errors([f for f in form.errors_found() if f.is_blocking])
    now = timezone.now()
    with _catalog_rows_kept(draft):
        actions.save_draft_form(dossier=draft, data=form.json_data(), by=request.user, now=now)
    findings = [f.as_json() for f in form.findings if not f.is_blocking]
    return {**_view(request, draft), "findings": findings}


def _form_errors(findings) -> Status:
    details = [{"field": f.field, "message": f.message} for f in findings]
    message = "Tờ khai còn thông tin chưa hợp lệ."
    return Status(422, error_body("invalid_form", message, details))


@router.post(
    "/dossiers/{int:dossier_id}/components/{int:component_id}/files",
    response={201: s.DossierComponentOut, **WRITE},
    summary="Attach a file to a component",
    description=(
        "Multipart field `file`. PDF, JPEG or PNG, decided from the content, never from the "
        "name; size limits apply. While a draft, or for a component the open supplement "
        "request names. 422 `invalid_request` says why a file is refused; nothing else changes."
    ),
)
def attach(request: HttpRequest, dossier_id: int, component_id: int, file: File[UploadedFile]):
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    component = get_object_or_404(dossier.components, pk=component_id)
    actions.attach_file(
        dossier=dossier, component=component, uploaded_file=file, by=request.user, now=_now()
    )
    return Status(201, s.component_view(component))


@router.delete(
    "/dossiers/{int:dossier_id}/components/{int:component_id}/files/{int:file_id}",
    response={204: None, **WRITE},
    summary="Remove an attached file",
    description="While a draft; during a supplement only files added since the request.",
)
def remove(request: HttpRequest, dossier_id: int, component_id: int, file_id: int):
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    stored = get_object_or_404(
        ComponentFile, pk=file_id, component_id=component_id, component__dossier=dossier
    )
    actions.remove_file(dossier=dossier, file=stored, by=request.user, now=_now())
    return Status(204, None)


def _now():
    return timezone.now()


IDEMPOTENCY = Header(
    ...,
    alias="Idempotency-Key",
    min_length=1,
    max_length=255,
    description="Required, 1–255 characters, chosen by the client (a UUID is fine).",
)


@router.post(
    "/dossiers/{int:dossier_id}/submit",
    response={200: s.SubmittedDossierOut, **WRITE},
    summary="Submit a draft",
    description=(
        "Needs an `Idempotency-Key` header. The first request submits and returns the dossier "
        "with its `code` and its tracking `secret`. Sending the same key again (same account) "
        "never submits twice: it answers 200 with the same dossier, its current state, and "
        "`secret: null`, since only the secret's hash is kept; the receipt the first answer "
        "gave is the only copy. The same key for another dossier answers 409 "
        "`idempotency_key_reused`. 422 `invalid_form` when the saved e-form has errors, "
        "`invalid_request` when a required document is missing."
    ),
)
def submit(request: HttpRequest, dossier_id: int, key: str = IDEMPOTENCY):
    replay = _replay(request, dossier_id, key)
    if replay is not None:
        return replay
    draft = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    blocking = blocking_findings(draft) if draft.is_draft else []
    if blocking:
        return _form_errors(blocking)
    try:
        with _catalog_rows_kept(draft):
            done = actions.submit_dossier(
                dossier=draft, by=request.user, now=_now(), idempotency_key=key
            )
    except (actions.IllegalTransition, IntegrityError):
        # A concurrent request with the same key may have won: answer as its replay.
        replay = _replay(request, dossier_id, key)
        if replay is None:
            raise
        return replay
    return {**_view(request, done.dossier), "secret": done.secret}


def _replay(request: HttpRequest, dossier_id: int, key: str):
    used = SubmissionKey.objects.filter(user=request.user, key=key).first()
    if used is None:
        return None
    if used.dossier_id != dossier_id:
        message = "Khóa Idempotency-Key này đã được dùng để nộp một hồ sơ khác."
        return Status(409, error_body("idempotency_key_reused", message))
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    return {**_view(request, dossier), "secret": None}


@router.post(
    "/dossiers/{int:dossier_id}/supplement",
    response={200: s.CitizenDossierOut, **WRITE},
    summary="Send the supplement",
    description="After attaching the documents asked for: the dossier goes back to the agency "
    "and its clock runs again. 409 when no supplement is awaited.",
)
def resubmit(request: HttpRequest, dossier_id: int, payload: s.NoteIn | None = None):
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    note = payload.note if payload else ""
    actions.resubmit_supplement(dossier=dossier, by=request.user, now=_now(), note=note)
    return _view(request, dossier)


@router.post(
    "/dossiers/{int:dossier_id}/withdraw",
    response={200: s.CitizenDossierOut, **WRITE},
    summary="Withdraw a dossier",
    description="Possible while new, received or awaiting a supplement; 409 otherwise.",
)
def withdraw(request: HttpRequest, dossier_id: int, payload: s.NoteIn | None = None):
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    note = payload.note if payload else ""
    actions.withdraw_dossier(dossier=dossier, by=request.user, now=_now(), note=note)
    return _view(request, dossier)


@router.get(
    "/dossiers/{int:dossier_id}/result",
    response=READ,
    summary="The signed electronic result (PDF)",
    description="Streams the PDF signed by the agency; 404 until there is one.",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The signed PDF.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def result(request: HttpRequest, dossier_id: int):
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, dossier_id)
    signed = getattr(dossier, "signed_result", None)
    if signed is None:
        raise Http404(access.NOT_FOUND)
    try:
        handle = signed.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(access.NOT_FOUND) from None
    name = f"ket-qua-{dossier.code}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


# POST /dossiers/filings, on this router: the whole filing in one request.
from . import api_filing  # noqa: E402, F401
