"""Actions that move the legal clock: supplement requests pause it, resubmission restarts
it, and the apology letter sets a new due moment once."""

from datetime import datetime

from django.db import transaction

from opendvc.audit.actions import record
from opendvc.core import calendar

from ..models import Apology, Dossier, Status, SupplementReason, SupplementRequest
from . import steps
from ._steps import check, coded, lock, move
from .errors import IllegalTransition, InvalidRequest


def request_supplement(*, dossier: Dossier, by, reasons: list[dict], now: datetime) -> Dossier:
    """Ask the applicant for more documents (2 or 4 → 5) and stop the clock: the whole working
    days left are frozen until resubmission. `reasons`: [{"component": id or None, "code":
    SupplementReason, "note": str}], at least one.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "request_supplement")
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
        move(
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
        code = coded(reason.get("code", ""), SupplementReason, "lý do yêu cầu bổ sung")
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
        lock(dossier)
        check(dossier, by, "resubmit")
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
        move(
            dossier,
            to=request.from_status,
            action="resubmit",
            by=by,
            now=now,
            note=note,
            payload={"due_at": dossier.due_at.isoformat() if dossier.due_at else None},
        )
        if dossier.status == Status.PROCESSING:
            steps.resume_current_step(dossier)  # the current step's clock runs again too
    return dossier


def close_open_supplement(dossier: Dossier, by, now: datetime) -> None:
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
        lock(dossier)
        check(dossier, by, "apology")
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
