"""Vault API v1: the signed-in person's store (documents, results, data-use log, export and
deletion) and the desk's digitised copy. Another person's document answers 404 `not_found`,
exactly like one that does not exist; a refused file or a full store answers 422."""

from datetime import date, datetime

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut, api, error_body
from opendvc.core import ratelimit
from opendvc.dossiers.access import desk_agencies

from . import access, actions
from .export import build_zip
from .models import DataAccess, DocumentType, StoredDocument, SubjectRequest
from .views_citizen import EXPORTS_EXCEEDED, export_allowed, sealed_response
from .views_staff import FINDS_PER_HOUR

router = Router(tags=["vault: personal e-data store"], auth=signed_in)
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def on_vault_error(request: HttpRequest, exc: actions.VaultError):
    code = "quota_exceeded" if isinstance(exc, actions.QuotaExceeded) else "invalid_request"
    return api.create_response(request, error_body(code, str(exc)), status=422)


api.add_exception_handler(actions.VaultError, on_vault_error)


class VaultDocumentTypeOut(Schema):
    code: str
    name: str
    validity: str
    valid_months: int | None


class VaultDocumentOut(Schema):
    id: int
    type_code: str
    type_name: str
    source: str
    number: str
    issuer: str
    issued_date: date | None
    expiry_date: date | None
    valid_until: date | None
    is_expired: bool
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class VaultDocumentIn(Schema):
    document_type: str
    number: str = ""
    issuer: str = ""
    issued_date: date | None = None
    expiry_date: date | None = None


class VaultDigitisedIn(VaultDocumentIn):
    person: str  # the person's phone number or e-mail
    agency_code: str


class VaultResultOut(Schema):
    id: int
    dossier_code: str
    procedure: str
    agency: str
    signed_at: datetime
    sha256: str


class VaultAccessOut(Schema):
    at: datetime
    kind: str
    agency: str
    official: str
    dossier_code: str
    document: str


class VaultSubjectRequestOut(Schema):
    kind: str
    state: str
    received_at: datetime
    due_at: datetime
    answered_at: datetime | None
    outcome: str


def _document(document: StoredDocument) -> dict:
    today = timezone.localdate()
    return {
        **{f: getattr(document, f) for f in VaultDocumentOut.model_fields if hasattr(document, f)},
        "type_code": document.document_type.code,
        "type_name": document.document_type.name,
        "valid_until": document.valid_until(),
        "is_expired": document.is_expired(today),
        "id": document.pk,
    }


def _store(request, data: VaultDocumentIn, file, *, owner, agency=None) -> dict:
    kind = get_object_or_404(DocumentType, code=data.document_type)
    details = actions.Details(data.number, data.issuer, data.issued_date, data.expiry_date)
    document = actions.store_document(
        owner=owner,
        document_type=kind,
        uploaded_file=file,
        details=details,
        by=request.user,
        now=timezone.now(),
        agency=agency,
    )
    return _document(document)


@router.get("/vault/document-types", response=list[VaultDocumentTypeOut], auth=None)
def document_types(request: HttpRequest):
    return DocumentType.objects.all()


@router.get("/vault/documents", response={200: list[VaultDocumentOut], **READ})
def documents(request: HttpRequest):
    rows = StoredDocument.objects.of(request.user).select_related("document_type")
    return [_document(d) for d in rows]


@router.post("/vault/documents", response={201: VaultDocumentOut, **WRITE})
def upload(request: HttpRequest, data: Form[VaultDocumentIn], file: File[UploadedFile]):
    return Status(201, _store(request, data, file, owner=request.user))


@router.get("/vault/documents/{int:document_id}", response={200: VaultDocumentOut, **READ})
def document(request: HttpRequest, document_id: int):
    return _document(access.get_document_for_owner_or_404(request.user, document_id))


@router.get("/vault/documents/{int:document_id}/file", response=READ)
def download(request: HttpRequest, document_id: int):
    return sealed_response(access.get_document_for_owner_or_404(request.user, document_id))


@router.delete("/vault/documents/{int:document_id}", response={204: None, **WRITE})
def delete(request: HttpRequest, document_id: int):
    found = access.get_document_for_owner_or_404(request.user, document_id)
    actions.delete_document(document=found, by=request.user, now=timezone.now())
    return Status(204, None)


@router.get("/vault/results", response={200: list[VaultResultOut], **READ})
def results(request: HttpRequest):
    return [
        {
            "id": r.pk,
            "dossier_code": r.dossier.code,
            "procedure": r.dossier.procedure.name,
            "agency": r.dossier.agency.name,
            "signed_at": r.signed_at,
            "sha256": r.sha256,
        }
        for r in access.results_for(request.user)
    ]


@router.get("/vault/log", response={200: list[VaultAccessOut], **READ}, summary="The data-use log")
def log(request: HttpRequest):
    rows = DataAccess.objects.filter(owner=request.user).select_related("agency")
    return [
        {
            "at": r.at,
            "kind": r.kind,
            "agency": r.agency.name,
            "official": r.official_name,
            "dossier_code": r.dossier_code,
            "document": r.document_label,
        }
        for r in rows
    ]


@router.post(
    "/vault/export", response={429: ErrorOut, **WRITE}, summary="Everything of mine, as a ZIP"
)
def export(request: HttpRequest):
    if not export_allowed(request.user):
        return Status(429, error_body("rate_limited", EXPORTS_EXCEEDED))
    now = timezone.now()
    actions.request_export(owner=request.user, now=now)
    archive = build_zip(request.user, now=now)
    return FileResponse(archive, as_attachment=True, filename="kho-du-lieu.zip")


@router.post("/vault/erase", response={201: VaultSubjectRequestOut, **WRITE})
def erase(request: HttpRequest):
    answer = actions.request_deletion(owner=request.user, now=timezone.now())
    return Status(201, answer)


@router.get("/vault/requests", response={200: list[VaultSubjectRequestOut], **READ})
def requests(request: HttpRequest):
    return SubjectRequest.objects.filter(owner=request.user)


@router.post("/staff/vault/digitised", response={201: VaultDocumentOut, 429: ErrorOut, **WRITE})
def digitised(request: HttpRequest, data: Form[VaultDigitisedIn], file: File[UploadedFile]):
    """A desk officer's digitised copy into a person's store (found by phone or e-mail)."""
    agency = get_object_or_404(desk_agencies(request.user), code=data.agency_code)
    if not ratelimit.hit(
        "vault.find_person", str(request.user.pk), limit=FINDS_PER_HOUR, window=3600
    ):
        return Status(429, error_body("rate_limited", "Đã tìm quá nhiều lần trong một giờ."))
    person = access.find_person(data.person)
    if person is None:
        return Status(404, error_body("not_found", "Không tìm thấy tài khoản."))
    return Status(201, _store(request, data, file, owner=person, agency=agency))
