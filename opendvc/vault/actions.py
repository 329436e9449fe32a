"""Every change to a person's store, once: upload, digitisation at the desk, deletion, the data
subject's requests, and the log row written when an official opens a document."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from opendvc.audit.actions import record
from opendvc.dossiers.models import Dossier
from opendvc.dossiers.uploads import UploadRejected, check_upload, size_text

from . import storage
from .models import (
    DataAccess,
    DocumentType,
    StoredDocument,
    StoredDocumentUse,
    SubjectRequest,
)

# Law 91/2025/QH15 (Art. 13–16) leaves the time to answer a data subject to the Government's
# decree. Until that decree is wired in, we keep the 72 hours of Decree 13/2023/NĐ-CP (Art.
# 14–16), which the press and the Ministry of Public Security still cite for the 2025 law; one
# place to change when the decree's figure is confirmed.
SUBJECT_REQUEST_HOURS = 72

KEPT_RESULTS = (
    "Kết quả giải quyết thủ tục hành chính do cơ quan nhà nước ký số không bị xóa: cơ quan phải "
    "lưu trữ hồ sơ, kết quả theo pháp luật về lưu trữ (Luật Bảo vệ dữ liệu cá nhân 2025, khoản "
    "1 Điều 14: xóa khi hết thời hạn lưu trữ theo quy định)."
)


class VaultError(Exception):
    """A change the store refuses; the message is Vietnamese and shown as is."""


class QuotaExceeded(VaultError):
    pass


@dataclass(frozen=True)
class Details:
    """What a person or the desk says about the paper: all optional."""

    number: str = ""
    issuer: str = ""
    issued_date: date | None = None
    expiry_date: date | None = None


def store_document(
    *,
    owner,
    document_type: DocumentType,
    uploaded_file,
    details: Details,
    by,
    now: datetime,
    agency=None,
) -> StoredDocument:
    """Check the file by its content, check the owner's quota, seal it and keep it. A desk
    officer's copy (`agency` given) is marked digitised and written to the owner's log.
    Raises VaultError (the file's content refused) or QuotaExceeded; nothing is kept then."""
    try:
        checked = check_upload(uploaded_file)
    except UploadRejected as error:
        raise VaultError(str(error)) from None
    path = storage.new_path()
    try:
        with transaction.atomic():
            document = _keep_within_quota(
                owner, document_type, checked, details, by, now, path, agency
            )
    except BaseException:
        # The row is gone with the transaction: so must the sealed file be.
        storage.remove(path)
        raise
    return document


def _keep_within_quota(owner, document_type, checked, details, by, now, path, agency):
    # The owner's row serialises two uploads racing for the last megabytes.
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    used, quota = StoredDocument.objects.used_bytes(owner), storage.quota_bytes()
    if used + checked.size > quota:
        raise QuotaExceeded(
            f"Kho dữ liệu không đủ chỗ cho tệp “{checked.display_name}” "
            f"({size_text(checked.size)}): đã dùng {size_text(used)} trên "
            f"{size_text(quota)}. Hãy xóa bớt giấy tờ không còn dùng rồi tải lại."
        )
    checked.file.seek(0)
    storage.seal(path, checked.file.read())
    document = StoredDocument.objects.create(
        owner=owner,
        document_type=document_type,
        source=StoredDocument.Source.DIGITISED if agency else StoredDocument.Source.UPLOAD,
        number=details.number,
        issuer=details.issuer,
        issued_date=details.issued_date,
        expiry_date=details.expiry_date,
        path=path,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        created_at=now,
        created_by=by,
        agency=agency,
    )
    if agency is not None:
        _log(document, DataAccess.Kind.DIGITISED, agency, by, None, now)
    record(
        action="vault.document_stored",
        actor=by,
        target=document,
        payload={"owner": owner.pk, "type": document_type.code, "size": checked.size},
        now=now,
    )
    return document


def delete_document(*, document: StoredDocument, by, now: datetime) -> None:
    """Remove one of the owner's documents and its sealed file. The data-use log keeps its rows
    (the document's name was copied into them)."""
    with transaction.atomic():
        path, label = document.path, _label(document)
        record(
            action="vault.document_deleted",
            actor=by,
            target=document,
            payload={"owner": document.owner_id, "document": label},
            now=now,
        )
        document.delete()
        transaction.on_commit(lambda: storage.remove(path))


def request_deletion(*, owner, now: datetime) -> SubjectRequest:
    """The data subject's request to delete: every document of their store goes at once (the
    law allows it: they are the person's own papers); the results of finished dossiers stay,
    and the answer says why."""
    with transaction.atomic():
        request = _subject_request(owner, SubjectRequest.Kind.DELETE, now)
        documents = list(StoredDocument.objects.of(owner))
        for document in documents:
            delete_document(document=document, by=owner, now=now)
        request.state, request.answered_at = SubjectRequest.State.DONE, now
        request.outcome = f"Đã xóa {len(documents)} giấy tờ trong kho. {KEPT_RESULTS}"
        request.save(update_fields=["state", "answered_at", "outcome"])
    return request


def request_export(*, owner, now: datetime) -> SubjectRequest:
    """The data subject's request for their data, answered at once by the ZIP the caller
    builds (export.build_zip); the row keeps the request and its due date on record."""
    with transaction.atomic():
        request = _subject_request(owner, SubjectRequest.Kind.EXPORT, now)
        request.state, request.answered_at = SubjectRequest.State.DONE, now
        request.outcome = "Đã cung cấp tệp ZIP gồm toàn bộ dữ liệu trong kho."
        request.save(update_fields=["state", "answered_at", "outcome"])
    return request


def _subject_request(owner, kind: str, now: datetime) -> SubjectRequest:
    request = SubjectRequest.objects.create(
        owner=owner,
        kind=kind,
        received_at=now,
        due_at=now + timedelta(hours=SUBJECT_REQUEST_HOURS),
    )
    record(action=f"vault.subject_request.{kind.lower()}", actor=owner, target=request, now=now)
    return request


def use_in_dossier(*, document: StoredDocument, dossier: Dossier, component=None, now):
    """Let a dossier refer to one of its applicant's stored documents, which the dossier's
    agency may then open (each time logged). Raises VaultError when the document is not the
    applicant's, or the component not the dossier's."""
    if dossier.applicant_id is None or document.owner_id != dossier.applicant_id:
        raise VaultError("Giấy tờ này không thuộc kho dữ liệu của người nộp hồ sơ.")
    if component is not None and component.dossier_id != dossier.pk:
        raise VaultError("Thành phần hồ sơ không thuộc hồ sơ này.")
    with transaction.atomic():
        use, _ = StoredDocumentUse.objects.get_or_create(
            document=document, dossier=dossier, component=component, defaults={"created_at": now}
        )
        record(
            action="vault.document_used",
            actor=dossier.applicant,
            target=document,
            payload={"dossier": dossier.pk, "component": getattr(component, "pk", None)},
            now=now,
        )
    return use


def log_official_view(*, document: StoredDocument, dossier: Dossier, official, now) -> None:
    """One row of the owner's data-use log for an official opening a document through one
    of their agency's dossiers."""
    with transaction.atomic():
        row = _log(document, DataAccess.Kind.VIEWED, dossier.agency, official, dossier, now)
        # The hash-chained audit log backs the person's log: a row removed there shows here.
        record(
            action="vault.document_viewed",
            actor=official,
            target=document,
            payload={"owner": document.owner_id, "dossier": dossier.code, "log": row.pk},
            now=now,
        )


def _log(document, kind, agency, official, dossier, now) -> DataAccess:
    return DataAccess.objects.create(
        owner_id=document.owner_id,
        document=document,
        document_label=_label(document),
        kind=kind,
        agency=agency,
        official=official,
        official_name=official.full_name,
        dossier=dossier,
        dossier_code=(dossier.code or "") if dossier else "",
        at=now,
    )


def _label(document: StoredDocument) -> str:
    number = f" số {document.number}" if document.number else ""
    return f"{document.document_type.name}{number} ({document.original_name})"[:300]
