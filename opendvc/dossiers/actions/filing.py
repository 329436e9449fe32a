"""Filing: a draft, then its submission with a code and a tracking secret."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opendvc.audit.actions import record
from opendvc.catalog.models import ProcedureCase
from opendvc.directory.models import Agency

from .. import workflow
from ..models import Dossier, DossierComponent, DossierCounter, Status, SubmissionKey
from ._steps import check, lock, move
from .attachments import attach_file
from .drafts import save_draft_form
from .errors import InvalidRequest, NotAllowed

# Unambiguous when read aloud or copied from paper: no 0/O, 1/I.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 10


def new_secret() -> tuple[str, str]:
    """A fresh tracking secret and its hash (`Dossier.hash_secret`: keyed, microseconds)."""
    secret = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
    return secret, Dossier.hash_secret(secret)


@dataclass(frozen=True)
class Submission:
    dossier: Dossier
    secret: str  # shown once, printed on the receipt; only its hash is stored


def _receives(agency: Agency, case: ProcedureCase) -> bool:
    generic = case.procedure.implementing_agencies.all()
    return (
        Agency.objects.active()
        .filter(pk=agency.pk)
        .filter(Q(pk__in=generic) | Q(generic__in=generic) | Q(stands_for__in=generic))
        .exists()
    )


def _snapshot(by, is_desk: bool, given: dict) -> dict:
    """The applicant fields to keep: what was declared, else what the account says."""
    account = None if is_desk else by
    kind = getattr(account, "kind", "")
    business = Dossier.ApplicantType.BUSINESS
    return {
        "applicant": account,
        "applicant_type": given.get("type") or (business if kind == business else "CITIZEN"),
        "applicant_name": given.get("name") or getattr(account, "full_name", ""),
        "applicant_phone": given.get("phone") or getattr(account, "phone", "") or "",
        "applicant_email": given.get("email") or getattr(account, "email", "") or "",
        "applicant_id_number": given.get("id_number", ""),
    }


def create_draft(
    *,
    by,
    case: ProcedureCase,
    agency: Agency,
    now: datetime,
    applicant: dict | None = None,
    channel: int | None = None,
    form_data: dict | None = None,
) -> Dossier:
    """Start a draft (status 0) for a case at a receiving agency, with one component per
    required document. A citizen files for themself online; a desk officer of the agency
    registers a counter or postal dossier for someone who may have no account. `applicant`:
    the declared name, phone, email, id_number and type (CITIZEN or BUSINESS).

    Raises InvalidRequest if the agency does not receive this procedure, NotAllowed if `by`
    may not file there (or a citizen asks for a channel other than online)."""
    if not getattr(by, "is_authenticated", False) or not by.is_active:
        raise NotAllowed("Bạn cần đăng nhập để nộp hồ sơ.")
    if not _receives(agency, case):
        raise InvalidRequest("Cơ quan này không tiếp nhận hồ sơ của thủ tục đã chọn.")
    is_desk = agency.staff_roles.filter(user=by, role=workflow.Role.DESK_OFFICER).exists()
    online = Dossier.Channel.ONLINE
    if not is_desk and (by.is_official or channel not in (None, online)):
        raise NotAllowed("Bạn không có quyền nộp hồ sơ tại cơ quan này.")
    with transaction.atomic():
        dossier = Dossier.objects.create(
            procedure=case.procedure,
            case=case,
            agency=agency,
            channel=channel or (Dossier.Channel.COUNTER if is_desk else online),
            form_data=form_data or {},
            created_at=now,
            **_snapshot(by, is_desk, applicant or {}),
        )
        DossierComponent.objects.bulk_create(
            DossierComponent(
                dossier=dossier,
                required_document=doc,
                name=doc.name,
                is_required=doc.is_required,
                position=doc.position,
            )
            for doc in case.documents.all()
        )
        record(
            action="dossiers.create_draft",
            actor=by,
            target=dossier,
            payload={"case": case.pk, "agency": agency.code, "channel": dossier.channel},
            now=now,
        )
    return dossier


def _next_code(agency: Agency, now: datetime) -> str:
    day = timezone.localtime(now).date()
    counter, _ = DossierCounter.objects.select_for_update().get_or_create(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{agency.code}-{day:%y%m%d}-{counter.last:04d}"


def _missing_documents(dossier: Dossier) -> list[str]:
    """Required components with no file, not reused and not taken from the personal store."""
    missing = dossier.components.filter(
        is_required=True, is_reused=False, is_from_vault=False, files__isnull=True
    )
    return list(missing.values_list("name", flat=True))


def submit_dossier(*, dossier: Dossier, by, now: datetime, idempotency_key: str = "") -> Submission:
    """Submit a draft: give it its code and tracking secret; it becomes 1 (Mới đăng ký). An
    API client's `idempotency_key` is kept with it, so the same key finds this dossier again.

    An online dossier needs a file (or a reused document) for every required component.
    Raises NotAllowed, IllegalTransition, InvalidRequest, IntegrityError (the key was taken by
    a concurrent submission of the same account)."""
    # Hashed before the transaction: no submission waits under a lock for another's hash.
    secret, secret_hash = new_secret()
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "submit")
        if not dossier.applicant_name.strip():
            raise InvalidRequest("Cần ghi họ tên người nộp hồ sơ.")
        missing = _missing_documents(dossier) if dossier.channel == Dossier.Channel.ONLINE else []
        if missing:
            raise InvalidRequest("Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing[:5]))
        # The agency's counter row stays locked until the commit, so every submission to the
        # agency waits for it: it is taken last, once every check has passed.
        dossier.code = _next_code(dossier.agency, now)
        dossier.secret_hash = secret_hash
        dossier.submitted_at = now
        move(dossier, to=Status.NEW, action="submit", by=by, now=now)
        if idempotency_key:
            SubmissionKey.objects.create(
                user=by, key=idempotency_key, dossier=dossier, created_at=now
            )
    return Submission(dossier=dossier, secret=secret)


def file_dossier(
    *,
    by,
    case: ProcedureCase,
    agency: Agency,
    now: datetime,
    form_data: dict,
    files: list[tuple[int, object]],
    idempotency_key: str,
) -> Submission:
    """File a complete dossier at once, in one transaction, through the step-by-step actions:
    create_draft, save_draft_form (`form_data`: the e-form's cleaned, JSON-ready values),
    attach_file for each (required document id, uploaded file) of `files`, submit_dossier.
    Any failure undoes all of it, the stored bytes included.
    Raises what those actions raise, and InvalidRequest for a document the case does not ask
    for."""
    stored = []
    try:
        with transaction.atomic():
            draft = create_draft(by=by, case=case, agency=agency, now=now)
            save_draft_form(dossier=draft, data=form_data, by=by, now=now)
            components = {c.required_document_id: c for c in draft.components.all()}
            for document_id, uploaded in files:
                component = components.get(document_id)
                if component is None:
                    raise InvalidRequest(
                        f"Trường hợp này không có thành phần hồ sơ số {document_id}."
                    )
                stored.append(
                    attach_file(
                        dossier=draft,
                        component=component,
                        uploaded_file=uploaded,
                        by=by,
                        now=now,
                    )
                )
            return submit_dossier(dossier=draft, by=by, now=now, idempotency_key=idempotency_key)
    except BaseException:
        # The rows are gone with the transaction: their bytes must not stay behind.
        for file in stored:
            file.file.storage.delete(file.file.name)
        raise
