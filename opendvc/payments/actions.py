"""Every change of a payment's state, once: create, start, settle (from the gateway's word),
expire, refund; and the agency's fee amounts. Views, the API, the IPN and jobs call these.

Each action takes keyword-only arguments (including `now`), runs in a transaction, locks the
rows it changes, checks the move against the graph in states.py, writes the audit entry in the
same transaction, and raises a PaymentError subclass whose message is fit for the user.
"""

import hashlib
import json
import secrets
from base64 import b32encode
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from opendvc.audit.actions import record
from opendvc.catalog.models import Fee
from opendvc.directory.models import Agency
from opendvc.dossiers.actions import confirm_payment
from opendvc.dossiers.actions.payment import record_online_payment
from opendvc.dossiers.models import Dossier, Status

from . import access, fees, states
from .gateways import vnpay
from .models import AgencyFee, GatewayMessage, Payment, PrepaymentRule, ReceiptCounter

VN = ZoneInfo("Asia/Ho_Chi_Minh")
State = Payment.State
Purpose = Payment.Purpose
# VNPay's response code when the payer cancelled at the gateway.
PAYER_CANCELLED = "24"


class PaymentError(Exception):
    """Base of the payment errors; str(error) is a Vietnamese message for the user."""


class NotPayable(PaymentError):
    """The dossier has nothing to pay online now (status, zero fees, amount not yet set)."""


class IdempotencyConflict(PaymentError):
    """The idempotency key was used before with another request."""


class NotAllowed(PaymentError):
    """This user may not take this action on this payment."""


class IllegalMove(PaymentError):
    """The payment's state does not allow this change."""


class AlreadySettled(IllegalMove):
    """The gateway's outcome for this payment was recorded already."""


class AmountMismatch(PaymentError):
    """The gateway reports another amount than the payment's."""


class InvalidRequest(PaymentError):
    """The input is incomplete or wrong."""


class RefundRefused(PaymentError):
    """The gateway did not refund."""


def _move(payment: Payment, to: str) -> None:
    if not states.can_move(payment.state, to):
        raise IllegalMove(
            f"Giao dịch đang ở trạng thái “{payment.get_state_display()}”, "
            "không thể thực hiện thao tác này."
        )
    payment.state = to


def _audit(verb: str, payment: Payment, by, now: datetime, **payload) -> None:
    record(
        action=f"payments.{verb}",
        actor=by,
        target=payment,
        payload={"txn_ref": payment.txn_ref, "state": payment.state, **payload},
        now=now,
    )


def _locked(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment.pk)


# Creating and starting -----------------------------------------------------------------------


def request_hash(dossier: Dossier, purpose: str | None) -> str:
    """The SHA-256 of the normalised request, to tell a replay from another request."""
    body = json.dumps({"dossier": dossier.code, "purpose": purpose or ""}, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def new_txn_ref(now: datetime) -> str:
    """`<yymmdd><16 base32 characters>`: unique, and it tells nothing about the dossier."""
    return f"{now.astimezone(VN):%y%m%d}{b32encode(secrets.token_bytes(10)).decode()}"


def purpose_now(dossier: Dossier) -> str:
    """What a payment of the dossier would be for now. Raises NotPayable."""
    if dossier.status == Status.FINANCIAL_OBLIGATION:
        return Purpose.OBLIGATION
    prepaid = PrepaymentRule.objects.filter(
        agency_id=dossier.agency_id, procedure_id=dossier.procedure_id
    ).exists()
    if dossier.status == Status.NEW and prepaid and not dossier.is_paid_online:
        return Purpose.BEFORE_RECEPTION
    raise NotPayable("Hồ sơ hiện không có khoản phí, lệ phí nào cần nộp trực tuyến.")


def _replay(by, key: str, digest: str) -> Payment | None:
    if not key:
        return None
    used = Payment.objects.filter(created_by=by, idempotency_key=key).first()
    if used is not None and used.request_hash != digest:
        raise IdempotencyConflict("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.")
    return used


def create_payment(
    *, dossier: Dossier, by, idempotency_key: str, now: datetime, purpose: str | None = None
) -> Payment:
    """The applicant asks to pay what the dossier owes now. The same key with the same request
    returns the payment it made; a payment still open for the dossier is returned rather than
    a second one made. Raises NotAllowed (not the applicant), IdempotencyConflict, NotPayable."""
    if by is None or dossier.applicant_id != by.pk:
        raise NotAllowed("Chỉ người nộp hồ sơ mới thanh toán được phí, lệ phí của hồ sơ.")
    digest = request_hash(dossier, purpose)
    replay = _replay(by, idempotency_key, digest)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            return _create(dossier, by, idempotency_key, digest, now, purpose)
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as its replay.
        replay = _replay(by, idempotency_key, digest)
        if replay is None:
            raise
        return replay


def _create(dossier, by, key, digest, now, purpose) -> Payment:
    Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk").get()
    dossier.refresh_from_db()
    wanted = purpose_now(dossier)
    if purpose and purpose != wanted:
        raise NotPayable("Hồ sơ hiện không có khoản phí, lệ phí nào cần nộp cho mục đích này.")
    for open_payment in dossier.payments.filter(state__in=states.OPEN, purpose=wanted):
        if open_payment.expires_at > now:
            return open_payment
        _expire(open_payment, now)
    bill = fees.bill_for(dossier)
    if bill.unset:
        raise NotPayable("Cơ quan chưa công bố mức thu, chưa thể thanh toán trực tuyến.")
    if not bill.is_payable:
        raise NotPayable("Hồ sơ không có khoản phí, lệ phí nào cần nộp.")
    payment = Payment.objects.create(
        dossier=dossier,
        agency_id=dossier.agency_id,
        payer=by,
        purpose=wanted,
        amount=bill.total,
        description=f"Thanh toan phi, le phi ho so {dossier.code}",
        lines=[line.as_json() for line in bill.lines],
        txn_ref=new_txn_ref(now),
        idempotency_key=key,
        request_hash=digest if key else "",
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES),
    )
    _audit("created", payment, by, now, dossier=dossier.code, amount=payment.amount)
    return payment


def return_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("payments:vnpay_return")


def start_payment(*, payment: Payment, ip: str, now: datetime) -> str:
    """The payer goes to the gateway: the payment is started (once) and the signed payment URL
    returned. Raises NotPayable (expired), IllegalMove (no longer open)."""
    with transaction.atomic():
        locked = _locked(payment)
        is_late = locked.state in states.OPEN and locked.expires_at <= now
        if is_late:
            _expire(locked, now)  # kept: the error below is raised once this has committed
        elif locked.state == State.CREATED:
            _move(locked, State.STARTED)
            locked.started_at = now
            locked.save(update_fields=["state", "started_at"])
            _audit("started", locked, locked.payer, now)
        elif locked.state != State.STARTED:
            _move(locked, State.STARTED)  # raises IllegalMove with the state in words
    payment.state, payment.started_at = locked.state, locked.started_at
    if is_late:
        raise NotPayable("Giao dịch đã hết hạn, vui lòng tạo giao dịch mới.")
    return vnpay.payment_url(
        vnpay.config(),
        txn_ref=locked.txn_ref,
        amount_vnd=locked.amount,
        order_info=locked.description,
        ip=ip or "127.0.0.1",
        created_at=locked.started_at,
        expires_at=locked.expires_at,
        return_url=return_url(),
    )


# The gateway's outcome -----------------------------------------------------------------------


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
        locked = _locked(payment)
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
        _audit("settled", locked, None, now, source=source, receipt=locked.receipt_number)
        if target == State.SUCCESS:
            _tell_dossier(locked, now)
    return locked


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


def _expire(payment: Payment, now: datetime) -> None:
    _move(payment, State.EXPIRED)
    payment.ended_at = now
    payment.save(update_fields=["state", "ended_at"])
    _audit("expired", payment, None, now)


def expire_payments(*, now: datetime) -> int:
    """Expire the open payments whose time is up; return how many. Raises nothing."""
    due = Payment.objects.filter(state__in=states.OPEN, expires_at__lte=now)
    expired = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=pk)
            if payment.state in states.OPEN and payment.expires_at <= now:
                _expire(payment, now)
                expired += 1
    return expired


# Staff -------------------------------------------------------------------------------------


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
    with transaction.atomic():
        locked = _locked(payment)
        _move(locked, State.REFUNDED)
        try:
            answer = vnpay.refund(
                vnpay.config(),
                txn_ref=locked.txn_ref,
                amount_vnd=locked.amount,
                transaction_no=locked.transaction_no,
                transaction_date=locked.started_at or locked.created_at,
                created_by=str(by)[:250],
                ip=ip,
                now=now,
            )
        except vnpay.GatewayError as error:
            raise RefundRefused("Không liên lạc được cổng thanh toán, chưa hoàn tiền.") from error
        if answer.ok:
            locked.refunded_at, locked.refunded_by, locked.refund_reason = now, by, reason
            locked.save()
            _message(locked, answer, now)
            _audit("refunded", locked, by, now, reason=reason, amount=locked.amount)
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


def set_agency_fee(*, agency: Agency, fee: Fee, amount: int, by, now: datetime) -> AgencyFee:
    """The agency's administrator sets the amount of a fee the province decides.
    Raises NotAllowed, InvalidRequest (negative, or a fee with a catalog amount)."""
    if not access.admin_agencies(by).filter(pk=agency.pk).exists():
        raise NotAllowed("Chỉ quản trị cơ quan mới đặt được mức thu.")
    if amount < 0:
        raise InvalidRequest("Mức thu không được âm.")
    if fee.amount != 0:
        raise InvalidRequest("Khoản này đã có mức thu trong danh mục thủ tục.")
    with transaction.atomic():
        row, _ = AgencyFee.objects.select_for_update().update_or_create(
            agency=agency, fee=fee, defaults={"amount": amount, "set_at": now, "set_by": by}
        )
        record(
            action="payments.agency_fee_set",
            actor=by,
            target=row,
            payload={"agency": agency.code, "fee": fee.pk, "amount": amount},
            now=now,
        )
    return row
