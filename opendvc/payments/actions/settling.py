"""The gateway's word on a payment (settle: the only way to paid) and refunds."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from opendvc.dossiers.actions import confirm_payment, record_online_payment
from opendvc.dossiers.models import Status

from .. import access, notices, states, tasks
from ..gateways import vnpay
from ..models import GatewayMessage, Payment, ReceiptCounter
from ._steps import audit, lock_payment, move
from .errors import AlreadySettled, AmountMismatch, InvalidRequest, NotAllowed, RefundRefused

VN = ZoneInfo("Asia/Ho_Chi_Minh")
State = Payment.State
Purpose = Payment.Purpose
# VNPay's response code when the payer cancelled at the gateway.
PAYER_CANCELLED = "24"


def outcome_of(result) -> str:
    if result.is_paid:
        return State.SUCCESS
    return State.CANCELLED if result.response_code == PAYER_CANCELLED else State.FAILED


def settle(*, payment: Payment, result, source: str, now: datetime) -> Payment:
    """Record the gateway's outcome (`result`, a vnpay.GatewayResult) — the only way a payment
    becomes paid. On success: a receipt number of the agency and year, and the dossier told
    (status 6 goes on to processing; before reception it records the online payment). The row
    is locked, so two notifications at once credit it once. `source` says who told us (IPN,
    QUERY). Raises AlreadySettled (outcome recorded before), AmountMismatch."""
    with transaction.atomic():
        locked = lock_payment(payment)
        if locked.state not in states.AWAITING_GATEWAY:
            raise AlreadySettled("Giao dịch đã được ghi nhận kết quả trước đó.")
        if result.amount_vnd != locked.amount:
            raise AmountMismatch("Số tiền cổng thanh toán báo không khớp với giao dịch.")
        target = outcome_of(result)
        for name in ("transaction_no", "bank_code", "card_type", "pay_date"):
            setattr(locked, name, getattr(result, name) or "")
        locked.response_code, locked.transaction_status = (
            result.response_code,
            result.transaction_status,
        )
        if not states.can_move(locked.state, target):
            # An expired payment the payer did not pay: nothing changes but what was said.
            locked.save()
            return locked
        locked.state = target
        if target == State.SUCCESS:
            locked.paid_at = now
            locked.receipt_year, locked.receipt_number = _receipt_number(locked.agency_id, now)
        else:
            locked.ended_at = now
        locked.save()
        audit("settled", locked, None, now, source=source, receipt=locked.receipt_number)
        if target == State.SUCCESS and _paid_otherwise(locked):
            # Paid twice: a late notification of an attempt we had expired, after another one
            # was paid. The money was taken, so it is recorded, then refunded in full.
            transaction.on_commit(lambda: tasks.refund_duplicate.enqueue(payment_id=locked.pk))
        elif target == State.SUCCESS:
            _tell_dossier(locked, now)
            notices.payment_received(locked, now=now)
    return locked


def _paid_otherwise(payment: Payment) -> bool:
    """Whether another payment of the dossier, for the same purpose, is paid and kept."""
    others = Payment.objects.filter(
        dossier_id=payment.dossier_id, purpose=payment.purpose, state=State.SUCCESS
    )
    return others.exclude(pk=payment.pk).exists()


def _receipt_number(agency_id: int, now: datetime) -> tuple[int, int]:
    year = now.astimezone(VN).year
    counters = ReceiptCounter.objects.select_for_update()
    counter = counters.filter(agency_id=agency_id, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                counter = ReceiptCounter.objects.create(agency_id=agency_id, year=year)
        except IntegrityError:  # another payment of the agency made this year's counter
            counter = counters.get(agency_id=agency_id, year=year)
        counter = counters.get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return year, counter.last


def _tell_dossier(payment: Payment, now: datetime) -> None:
    dossier = payment.dossier
    if payment.purpose == Purpose.OBLIGATION and dossier.status == Status.FINANCIAL_OBLIGATION:
        confirm_payment(dossier=dossier, by=None, now=now, is_online=True)
    else:
        # Before reception, or an obligation an official confirmed meanwhile: the money came
        # online all the same, and the indicators count it.
        record_online_payment(dossier=dossier, now=now)


def refund_payment(
    *, payment: Payment, by, reason: str, now: datetime, ip: str = "127.0.0.1"
) -> Payment:
    """An agency's leader or administrator refunds a paid payment in full through the gateway,
    with a reason. Raises InvalidRequest (no reason), NotAllowed, IllegalMove (not paid),
    RefundRefused (the gateway said no; nothing changes but the message kept)."""
    if not reason.strip():
        raise InvalidRequest("Cần ghi rõ lý do hoàn tiền.")
    if not access.can_refund(by, payment):
        raise NotAllowed("Bạn không có quyền hoàn tiền giao dịch này.")
    return _refund(payment, by=by, reason=reason, now=now, ip=ip)


DUPLICATE = "Thanh toán trùng: hồ sơ đã được thanh toán bằng giao dịch khác; hoàn tiền tự động."


def refund_duplicate(*, payment: Payment, now: datetime) -> Payment:
    """Refund, on the system's behalf, a payment paid after another one of the same dossier and
    purpose was (see settle). Idempotent: a payment no longer paid twice is left as it is.
    Raises RefundRefused (the gateway said no or could not be reached; retried later)."""
    with transaction.atomic():
        locked = lock_payment(payment)
        if locked.state != State.SUCCESS or not _paid_otherwise(locked):
            return locked
    # Outside that transaction, so a refused refund keeps its gateway message; _refund locks
    # the row again and refuses a payment refunded meanwhile.
    return _refund(locked, by=None, reason=DUPLICATE, now=now, ip="127.0.0.1")


def _refund(payment: Payment, *, by, reason: str, now: datetime, ip: str) -> Payment:
    with transaction.atomic():
        locked = lock_payment(payment)
        move(locked, State.REFUNDED)
        try:
            answer = vnpay.refund(
                vnpay.config(),
                txn_ref=locked.txn_ref,
                amount_vnd=locked.amount,
                transaction_no=locked.transaction_no,
                transaction_date=locked.started_at or locked.created_at,
                created_by=str(by or "OpenDVC")[:250],
                ip=ip,
                now=now,
            )
        except vnpay.GatewayError as error:
            raise RefundRefused("Không liên lạc được cổng thanh toán, chưa hoàn tiền.") from error
        if answer.ok:
            locked.refunded_at, locked.refunded_by, locked.refund_reason = now, by, reason
            locked.save()
            _message(locked, answer, now)
            audit("refunded", locked, by, now, reason=reason, amount=locked.amount)
            return locked
    _message(payment, answer, now)
    raise RefundRefused(f"Cổng thanh toán từ chối hoàn tiền (mã {answer.response_code}).")


def _message(payment: Payment, answer, now: datetime) -> None:
    GatewayMessage.objects.create(
        payment=payment,
        kind=GatewayMessage.Kind.REFUND,
        at=now,
        params={"response_code": answer.response_code, "transaction_no": answer.transaction_no},
        answer=answer.response_code,
    )
