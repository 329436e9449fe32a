"""The desk's and the agency's decisions on a dossier: receive, refuse, process, decide."""

from datetime import datetime

from django.db import transaction

from opendvc.core import calendar

from .. import signing
from ..models import Dossier, RefusalReason, Status, StopReason
from . import steps
from ._steps import check, coded, due, lock, move
from .clock import close_open_supplement
from .errors import InvalidRequest
from .results import issue_signed_result


def accept_dossier(*, dossier: Dossier, by, now: datetime) -> Dossier:
    """The desk receives the dossier (1 → 2): reception at the effective moment of submission,
    and the due moment from the case's legal time. Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "accept")
        case = dossier.case
        dossier.received_at = calendar.effective_reception(dossier.submitted_at or now)
        dossier.due_at = due(dossier.received_at, case.processing_amount, case.processing_unit)
        dossier.original_due_at = dossier.due_at
        move(
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
    coded(reason_code, RefusalReason, "lý do từ chối")
    if reason_code == RefusalReason.OTHER and not note.strip():
        raise InvalidRequest("Cần ghi rõ lý do từ chối.")
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "refuse")
        dossier.closed_at = now
        move(
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
        lock(dossier)
        check(dossier, by, action)
        move(dossier, to=to, action=action, by=by, now=now, note=note)
    return dossier


def forward_for_processing(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The desk hands a received dossier to the specialist unit (2 → 4): the agency's
    processing steps for the case (or the default ones) are copied into the dossier and the
    first starts. Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "forward")
        move(dossier, to=Status.PROCESSING, action="forward", by=by, now=now, note=note)
        steps.start_steps(dossier, now)
    return dossier


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
        lock(dossier)
        check(dossier, by, "confirm_payment", system=by is None and is_online)
        dossier.is_paid_online = dossier.is_paid_online or is_online
        move(
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
        lock(dossier)
        check(dossier, by, "withdraw")
        dossier.closed_at = now
        close_open_supplement(dossier, by, now)
        move(dossier, to=Status.WITHDRAWN, action="withdraw", by=by, now=now, note=note)
    return dossier


def stop_processing(
    *, dossier: Dossier, by, reason_code: str, note: str = "", now: datetime
) -> Dossier:
    """The agency stops processing (4 → 8) with a coded reason and an explanation.
    Raises NotAllowed, IllegalTransition, InvalidRequest."""
    coded(reason_code, StopReason, "lý do dừng xử lý")
    if not note.strip():
        raise InvalidRequest("Cần ghi rõ lý do dừng xử lý.")
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "stop")
        dossier.closed_at = now
        move(
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
) -> Dossier:
    """The decision is made and the result ready (4 → 9); the leader's approval step, which
    must be the dossier's current step if it has steps, is completed by it, and the result is
    signed when the agency has a certificate (actions.results.issue_signed_result).
    Raises NotAllowed, IllegalTransition (status, or steps before the approval not done),
    InvalidRequest (no summary of the result)."""
    if not summary.strip():
        raise InvalidRequest("Cần ghi kết quả giải quyết hồ sơ.")
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "finish")
        steps.check_ready_to_decide(dossier)  # the leader's approval must be the current step
        steps.close_final_step(dossier, by, now)
        dossier.finished_at = now
        dossier.result_summary = summary
        dossier.result_url = result_url
        on_time = dossier.due_at is None or now <= dossier.due_at
        move(
            dossier,
            to=Status.FINISHED,
            action="finish",
            by=by,
            now=now,
            payload={"on_time": on_time},
        )
        # The electronic result, signed with the agency's certificate where it has one; an
        # agency without one returns its result on paper. Last, so only a failed COMMIT could
        # leave the stored PDF behind.
        if signing.has_certificate(dossier.agency):
            issue_signed_result(dossier=dossier, by=by, now=now)
    return dossier


def return_result(*, dossier: Dossier, by, now: datetime, note: str = "") -> Dossier:
    """The desk delivers the result (9 → 10). Raises NotAllowed, IllegalTransition."""
    with transaction.atomic():
        lock(dossier)
        check(dossier, by, "return_result")
        dossier.returned_at = now
        move(dossier, to=Status.RETURNED, action="return_result", by=by, now=now, note=note)
    return dossier
