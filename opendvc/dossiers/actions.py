"""Every change of a dossier's state, once. Views, the API and jobs call these directly.

Each action locks the dossier row, checks who acts and from which status (workflow.py), writes
the status history and the audit entry in the same transaction, and raises a DossierError
subclass with a message fit to show the user.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opendvc.audit.actions import record
from opendvc.catalog.models import ProcedureCase
from opendvc.core import calendar
from opendvc.directory.models import Agency

from . import workflow
from .models import (
    Apology,
    Dossier,
    DossierComponent,
    DossierCounter,
    RefusalReason,
    Status,
    StatusChange,
    StopReason,
    SupplementReason,
    SupplementRequest,
)

# Unambiguous when read aloud or copied from paper: no 0/O, 1/I.
SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 10
TIMED_UNITS = {"WORKING_DAY", "DAY", "HOUR", "MONTH"}


class DossierError(Exception):
    """Base of the domain errors; str(error) is a Vietnamese message for the user."""


class IllegalTransition(DossierError):
    """The dossier's status does not allow this action."""


class NotAllowed(DossierError):
    """This user may not take this action on this dossier."""


class InvalidRequest(DossierError):
    """The action's input is incomplete or wrong (missing reason, unknown code…)."""


@dataclass(frozen=True)
class Submission:
    dossier: Dossier
    secret: str  # shown once, printed on the receipt; only its hash is stored


def _lock(dossier: Dossier) -> None:
    """Lock the row and reload it, so checks see the committed state."""
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").get()
    dossier.refresh_from_db()


def _check(dossier: Dossier, by, action: str, *, system: bool = False) -> None:
    if not system and not workflow.may_act(by, dossier, action):
        raise NotAllowed("Bạn không có quyền thực hiện thao tác này với hồ sơ.")
    if not workflow.allows(action, dossier.status):
        raise IllegalTransition(
            f"Hồ sơ đang ở trạng thái “{dossier.get_status_display()}”, "
            "không thể thực hiện thao tác này."
        )


def _move(
    dossier: Dossier,
    *,
    to: int,
    action: str,
    by,
    now: datetime,
    reason_code: str = "",
    note: str = "",
    payload: dict | None = None,
) -> None:
    """Save the new status with its history row and audit entry (caller holds the lock)."""
    if to not in workflow.TRANSITIONS[action][dossier.status]:
        raise IllegalTransition("Chuyển trạng thái không hợp lệ.")
    before = dossier.status
    dossier.status = to
    dossier.save()
    StatusChange.objects.create(
        dossier=dossier,
        from_status=before,
        to_status=to,
        action=action,
        actor=by,
        at=now,
        reason_code=reason_code,
        note=note,
    )
    record(
        action=f"dossiers.{action}",
        actor=by,
        target=dossier,
        payload={"code": dossier.code, "from": before, "to": to, **(payload or {})},
        now=now,
    )


def _due(received_at: datetime, amount, unit: str) -> datetime | None:
    # A case without a legal time in days, hours or months has no due moment to watch.
    if amount is None or unit not in TIMED_UNITS:
        return None
    try:
        return calendar.due_at(received_at, amount, unit)
    except ValueError:
        # Catalog data beyond the calendar's range (say, 9,999 months): no deadline to watch
        # rather than a dossier the desk cannot receive.
        return None


def _coded(code: str, choices, what: str) -> str:
    if code not in choices.values:
        raise InvalidRequest(f"Cần chọn {what} hợp lệ.")
    return code


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


def submit_dossier(*, dossier: Dossier, by, now: datetime) -> Submission:
    """Submit a draft: give it its code and tracking secret; it becomes 1 (Mới đăng ký).

    An online dossier needs a file (or a reused document) for every required component.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "submit")
        if not dossier.applicant_name.strip():
            raise InvalidRequest("Cần ghi họ tên người nộp hồ sơ.")
        missing = _missing_documents(dossier) if dossier.channel == Dossier.Channel.ONLINE else []
        if missing:
            raise InvalidRequest("Còn thiếu giấy tờ bắt buộc: " + "; ".join(missing[:5]))
        secret = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))
        dossier.code = _next_code(dossier.agency, now)
        dossier.secret_hash = make_password(secret)
        dossier.submitted_at = now
        _move(dossier, to=Status.NEW, action="submit", by=by, now=now)
    return Submission(dossier=dossier, secret=secret)


def accept_dossier(*, dossier: Dossier, by, now: datetime) -> Dossier:
    """The desk receives the dossier (1 → 2): reception at the effective moment of submission,
    and the due moment from the case's legal time. Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "accept")
        case = dossier.case
        dossier.received_at = calendar.effective_reception(dossier.submitted_at or now)
        dossier.due_at = _due(dossier.received_at, case.processing_amount, case.processing_unit)
        dossier.original_due_at = dossier.due_at
        _move(
            dossier,
            to=Status.RECEIVED,
            action="accept",
            by=by,
            now=now,
            payload={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
        )
    return dossier


def refuse_dossier(
    *, dossier: Dossier, by, reason_code: str, note: str = "", now: datetime
) -> Dossier:
    """The desk refuses the dossier (1 → 3) with a coded reason.
    Raises NotAllowed, IllegalTransition, InvalidRequest (unknown reason, OTHER without note)."""
    _coded(reason_code, RefusalReason, "lý do từ chối")
    if reason_code == RefusalReason.OTHER and not note.strip():
        raise InvalidRequest("Cần ghi rõ lý do từ chối.")
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "refuse")
        dossier.closed_at = now
        _move(
            dossier,
            to=Status.REFUSED,
            action="refuse",
            by=by,
            now=now,
            reason_code=reason_code,
            note=note,
            payload={"reason": reason_code},
        )
    return dossier


def _simple(dossier: Dossier, by, action: str, to: int, now: datetime, note: str = "") -> Dossier:
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, action)
        _move(dossier, to=to, action=action, by=by, now=now, note=note)
    return dossier


def forward_for_processing(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The desk hands a received dossier to the specialist unit (2 → 4).
    Raises NotAllowed, IllegalTransition."""
    return _simple(dossier, by, "forward", Status.PROCESSING, now, note)


def request_financial_obligation(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """A fee or tax must be paid before processing goes on (4 → 6).
    Raises NotAllowed, IllegalTransition."""
    return _simple(dossier, by, "request_payment", Status.FINANCIAL_OBLIGATION, now, note)


def confirm_payment(
    *, dossier: Dossier, by, now: datetime, is_online: bool = False, note: str = ""
) -> Dossier:
    """The obligation is met; processing goes on (6 → 4). `by=None` with `is_online=True` is
    the payment gateway's confirmation; otherwise an official of the agency confirms.
    Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "confirm_payment", system=by is None and is_online)
        dossier.is_paid_online = dossier.is_paid_online or is_online
        _move(
            dossier,
            to=Status.PROCESSING,
            action="confirm_payment",
            by=by,
            now=now,
            note=note,
            payload={"online": is_online},
        )
    return dossier


def withdraw_dossier(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The applicant withdraws the dossier (1, 2 or 5 → 7).
    Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "withdraw")
        dossier.closed_at = now
        _close_open_supplement(dossier, by, now)
        _move(dossier, to=Status.WITHDRAWN, action="withdraw", by=by, now=now, note=note)
    return dossier


def stop_processing(
    *, dossier: Dossier, by, reason_code: str, note: str = "", now: datetime
) -> Dossier:
    """The agency stops processing (4 → 8) with a coded reason and an explanation.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    _coded(reason_code, StopReason, "lý do dừng xử lý")
    if not note.strip():
        raise InvalidRequest("Cần ghi rõ lý do dừng xử lý.")
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "stop")
        dossier.closed_at = now
        _move(
            dossier,
            to=Status.STOPPED,
            action="stop",
            by=by,
            now=now,
            reason_code=reason_code,
            note=note,
            payload={"reason": reason_code},
        )
    return dossier


def finish_dossier(
    *,
    dossier: Dossier,
    by,
    summary: str,
    now: datetime,
    result_url: str = "",
    result_file=None,
) -> Dossier:
    """The decision is made and the result ready (4 → 9).
    Raises NotAllowed, IllegalTransition, InvalidRequest (no summary of the result)."""
    if not summary.strip():
        raise InvalidRequest("Cần ghi kết quả giải quyết hồ sơ.")
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "finish")
        dossier.finished_at = now
        dossier.result_summary = summary
        dossier.result_url = result_url
        if result_file is not None:
            dossier.result_file = result_file
        on_time = dossier.due_at is None or now <= dossier.due_at
        _move(
            dossier,
            to=Status.FINISHED,
            action="finish",
            by=by,
            now=now,
            payload={"on_time": on_time},
        )
    return dossier


def return_result(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The desk delivers the result (9 → 10). Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "return_result")
        dossier.returned_at = now
        _move(dossier, to=Status.RETURNED, action="return_result", by=by, now=now, note=note)
    return dossier


def request_supplement(*, dossier: Dossier, by, reasons: list[dict], now: datetime) -> Dossier:
    """Ask the applicant for more documents (2 or 4 → 5) and stop the clock: the whole working
    days left are frozen until resubmission. `reasons`: [{"component": id or None, "code":
    SupplementReason, "note": str}], at least one.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "request_supplement")
        cleaned = _supplement_reasons(dossier, reasons)
        left = calendar.working_days_left(now, dossier.due_at) if dossier.due_at else None
        SupplementRequest.objects.create(
            dossier=dossier,
            requested_at=now,
            requested_by=by,
            from_status=dossier.status,
            due_at_before=dossier.due_at,
            working_days_left=left,
            reasons=cleaned,
        )
        dossier.paused_at = now
        dossier.working_days_left = left
        dossier.due_at = None
        dossier.supplement_count += 1
        _move(
            dossier,
            to=Status.SUPPLEMENT,
            action="request_supplement",
            by=by,
            now=now,
            reason_code=cleaned[0]["code"],
            note="; ".join(r["note"] for r in cleaned if r["note"]),
            payload={"reasons": cleaned, "working_days_left": left},
        )
    return dossier


def _supplement_reasons(dossier: Dossier, reasons: list[dict]) -> list[dict]:
    if not reasons:
        raise InvalidRequest("Cần nêu ít nhất một lý do yêu cầu bổ sung.")
    own = set(dossier.components.values_list("pk", flat=True))
    cleaned = []
    for reason in reasons:
        component = reason.get("component")
        if component is not None and component not in own:
            raise InvalidRequest("Thành phần hồ sơ được nêu không thuộc hồ sơ này.")
        code = _coded(reason.get("code", ""), SupplementReason, "lý do yêu cầu bổ sung")
        note = str(reason.get("note", "")).strip()
        if code == SupplementReason.OTHER and not note:
            raise InvalidRequest("Cần ghi rõ lý do yêu cầu bổ sung.")
        cleaned.append({"component": component, "code": code, "note": note})
    return cleaned


def resubmit_supplement(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The applicant has supplemented the dossier (5 → back to 2 or 4). The clock runs again
    from the new effective reception with the working days that were left.
    Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "resubmit")
        request = dossier.supplements.select_for_update().filter(answered_at__isnull=True).first()
        if request is None:
            raise IllegalTransition("Hồ sơ không có yêu cầu bổ sung nào đang chờ.")
        resumed = calendar.effective_reception(now)
        left = request.working_days_left
        request.answered_at = now
        request.answered_by = by
        request.resumed_at = resumed
        request.save(update_fields=["answered_at", "answered_by", "resumed_at"])
        dossier.due_at = None if left is None else calendar.due_at(resumed, left, "WORKING_DAY")
        dossier.paused_at = None
        dossier.working_days_left = None
        dossier.resubmission_count += 1
        _move(
            dossier,
            to=request.from_status,
            action="resubmit",
            by=by,
            now=now,
            note=note,
            payload={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
        )
    return dossier


def _close_open_supplement(dossier: Dossier, by, now: datetime) -> None:
    # A withdrawn dossier answers no request; closing it keeps "one open request" true.
    dossier.supplements.filter(answered_at__isnull=True).update(answered_at=now, answered_by=by)
    dossier.paused_at = None


def issue_apology(
    *, dossier: Dossier, by, reason: str, new_due_at: datetime, now: datetime
) -> Apology:
    """The agency apologises for the delay and sets a new due moment, once per dossier, while
    the clock runs. Raises NotAllowed, IllegalTransition (not now, or already apologised),
    InvalidRequest (no reason, or a new due moment not after now and the current one)."""
    if not reason.strip():
        raise InvalidRequest("Cần ghi lý do xin lỗi và gia hạn.")
    with transaction.atomic():
        _lock(dossier)
        _check(dossier, by, "apology")
        if Apology.objects.filter(dossier=dossier).exists():
            raise IllegalTransition("Hồ sơ đã có phiếu xin lỗi; chỉ được gia hạn một lần.")
        if new_due_at <= now or (dossier.due_at and new_due_at <= dossier.due_at):
            raise InvalidRequest("Thời hạn mới phải sau thời điểm hiện tại và hạn cũ.")
        apology = Apology.objects.create(
            dossier=dossier,
            issued_at=now,
            issued_by=by,
            reason=reason,
            previous_due_at=dossier.due_at,
            new_due_at=new_due_at,
        )
        dossier.due_at = new_due_at
        dossier.save(update_fields=["due_at"])
        record(
            action="dossiers.issue_apology",
            actor=by,
            target=dossier,
            payload={"code": dossier.code, "new_due_at": new_due_at.isoformat()},
            now=now,
        )
    return apology
