"""Reconciliation: ask the gateway (`querydr`) about the payments whose outcome we do not know
or doubt, settle those it has decided, expire the rest past their time, and keep a report of
what did not match (`Reconciliation`). Run daily by `opendvc reconcile_payments`.

Asked about: every STARTED payment, every CREATED one past its expiry, and every payment of
the day whose state disagrees with the last word the gateway sent us (a paid message for a
payment we hold unpaid, or the reverse).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from opendvc.audit.actions import record
from opendvc.core import transport
from opendvc.core.money import vnd

from . import actions
from .gateways import vnpay
from .models import GatewayMessage, Payment, Reconciliation

logger = logging.getLogger(__name__)
State = Payment.State
PAID_STATES = (State.SUCCESS, State.REFUNDED)
# querydr's vnp_TransactionStatus while the payer has not finished: not decided yet.
PENDING = "01"
SERVER_IP = "127.0.0.1"
WORD_KINDS = (GatewayMessage.Kind.IPN, GatewayMessage.Kind.RETURN, GatewayMessage.Kind.QUERY)

Progress = Callable[[int, int], None]


@dataclass
class Outcome:
    checked: int = 0
    settled: int = 0
    expired: int = 0
    mismatches: list[dict] = field(default_factory=list)


def says_paid(params: dict) -> bool:
    return params.get("vnp_ResponseCode") == "00" and params.get("vnp_TransactionStatus") == "00"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def disagreeing(day: date) -> list[int]:
    """Ids of the day's decided payments whose state contradicts the gateway's last valid word."""
    start, end = day_bounds(day)
    decided = Payment.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        state__in=(State.CREATED, State.STARTED)
    )
    states = dict(decided.values_list("pk", "state"))
    last: dict[int, dict] = {}
    words = GatewayMessage.objects.filter(
        payment_id__in=list(states), kind__in=WORD_KINDS, is_signature_valid=True
    ).order_by("at", "pk")
    for payment_id, params in words.values_list("payment_id", "params").iterator():
        last[payment_id] = params
    return [
        pk
        for pk, params in last.items()
        if says_paid(params) != (states[pk] in PAID_STATES) and states[pk] != State.REFUNDED
    ]


def candidates(*, day: date, now: datetime) -> list[Payment]:
    """The payments to ask the gateway about, oldest first."""
    pending = Q(state=State.STARTED) | Q(state=State.CREATED, expires_at__lte=now)
    doubtful = Q(pk__in=disagreeing(day))
    return list(
        Payment.objects.filter(pending | doubtful)
        .select_related("agency")
        .order_by("created_at", "pk")
    )


def _query(payment: Payment, now: datetime) -> vnpay.GatewayResult | None:
    """The gateway's answer, kept as a QUERY message (the evidence of this run)."""
    result = vnpay.query_transaction(
        vnpay.config(),
        txn_ref=payment.txn_ref,
        transaction_date=payment.started_at or payment.created_at,
        ip=SERVER_IP,
        now=now,
    )
    params = {"vnp_TxnRef": payment.txn_ref, "found": result is not None}
    if result is not None:
        params |= {
            "vnp_Amount": str(result.amount_vnd * 100),
            "vnp_ResponseCode": result.response_code,
            "vnp_TransactionStatus": result.transaction_status,
            "vnp_TransactionNo": result.transaction_no,
            "vnp_BankCode": result.bank_code,
            "vnp_PayDate": result.pay_date,
        }
    GatewayMessage.objects.create(
        payment=payment,
        kind=GatewayMessage.Kind.QUERY,
        at=now,
        params=params,
        is_signature_valid=True,  # the adapter checked the answer's checksum
        answer=result.response_code if result else "91",
    )
    return result


def _mismatch(payment: Payment, what: str, result=None, ours: str | None = None) -> dict:
    gateway = None
    if result is not None:
        gateway = {
            "response_code": result.response_code,
            "transaction_status": result.transaction_status,
            "amount_vnd": result.amount_vnd,
            "transaction_no": result.transaction_no,
        }
    return {
        "txn_ref": payment.txn_ref,
        "payment": payment.pk,
        "agency": payment.agency_id,
        "ours": ours or payment.state,
        "gateway": gateway,
        "what": what,
    }


def check_one(payment: Payment, *, now: datetime, outcome: Outcome) -> None:
    """Ask about one payment and act on the answer; what does not match goes in `outcome`."""
    try:
        result = _query(payment, now)
    except (vnpay.GatewayError, transport.TransportError) as error:
        outcome.mismatches.append(_mismatch(payment, f"Không hỏi được cổng thanh toán: {error}"))
        return
    outcome.checked += 1
    if result is None or (result.transaction_status == PENDING and not result.is_paid):
        if payment.state in PAID_STATES:
            what = "Hệ thống ghi đã thanh toán, cổng không có giao dịch đã thanh toán"
            outcome.mismatches.append(_mismatch(payment, what, result))
        return  # undecided: expired below if its time is up
    if result.amount_vnd != payment.amount:
        what = f"Số tiền khác nhau: cổng {vnd(result.amount_vnd)}, hệ thống {vnd(payment.amount)}"
        outcome.mismatches.append(_mismatch(payment, what, result))
        return
    _act_on(payment, result, now=now, outcome=outcome)


def _act_on(payment: Payment, result, *, now: datetime, outcome: Outcome) -> None:
    before = payment.state
    if before in PAID_STATES:
        if not result.is_paid:
            what = "Hệ thống ghi đã thanh toán, cổng báo giao dịch không thành công"
            outcome.mismatches.append(_mismatch(payment, what, result))
        return
    if before in (State.FAILED, State.CANCELLED, State.EXPIRED) and not result.is_paid:
        return  # both say unpaid
    try:
        settled = actions.settle(payment=payment, result=result, source="reconcile", now=now)
    except actions.PaymentError as error:
        said = "đã thanh toán" if result.is_paid else "không thành công"
        what = f"Cổng báo {said}, chưa ghi nhận được: {error}"
        outcome.mismatches.append(_mismatch(payment, what, result))
        return
    if settled.state == before:
        return
    outcome.settled += 1
    if before in (State.FAILED, State.CANCELLED, State.EXPIRED):
        what = f"Cổng báo đã thanh toán; ghi nhận muộn (trước đó: {Payment.State(before).label})"
    else:
        what = (
            f"Không nhận được thông báo IPN; ghi nhận theo truy vấn: {settled.get_state_display()}"
        )
    outcome.mismatches.append(_mismatch(payment, what, result, ours=f"{before} → {settled.state}"))


def refund_duplicates(*, now: datetime, outcome: Outcome) -> None:
    """Dossiers paid twice for one purpose whose later payment is not refunded yet (the
    automatic refund was refused or never ran): try again, and list each that stays so."""
    paid = Payment.objects.filter(state=Payment.State.SUCCESS)
    twice = (
        paid.values("dossier_id", "purpose")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("dossier_id", "purpose")
    )
    for dossier_id, purpose in twice:
        later = paid.filter(dossier_id=dossier_id, purpose=purpose).order_by("-paid_at", "-pk")[0]
        try:
            actions.refund_duplicate(payment=later, now=now)
        except actions.RefundRefused as error:
            outcome.mismatches.append(_mismatch(later, f"Thanh toán trùng chưa hoàn tiền: {error}"))
        else:
            outcome.mismatches.append(_mismatch(later, "Thanh toán trùng: đã hoàn tiền tự động."))


def reconcile(*, day: date, now: datetime, progress: Progress | None = None) -> Reconciliation:
    """One reconciliation run for `day`, saved as a Reconciliation with its counts and
    mismatches. Gateway errors are listed, not raised; payments still undecided past their
    expiry are expired. Raises nothing the gateway causes."""
    run = Reconciliation.objects.create(started_at=now, day=day)
    payments = candidates(day=day, now=now)
    outcome = Outcome()
    for index, payment in enumerate(payments, start=1):
        try:
            check_one(payment, now=now, outcome=outcome)
        except Exception as error:
            # One payment's surprise must not leave the others unchecked: logged and listed.
            logger.exception("Reconciliation of %s failed", payment.txn_ref)
            outcome.mismatches.append(_mismatch(payment, f"Lỗi khi đối soát: {error!r}"))
        if progress:
            progress(index, len(payments))
    outcome.expired = actions.expire_payments(now=now)
    refund_duplicates(now=now, outcome=outcome)
    run.checked, run.settled, run.mismatches = outcome.checked, outcome.settled, outcome.mismatches
    run.finished_at = max(now, timezone.now())  # the run's real end, never before `now`
    run.save()
    record(
        action="payments.reconciled",
        target=run,
        payload={
            "day": day.isoformat(),
            "asked": len(payments),
            "checked": run.checked,
            "settled": run.settled,
            "expired": outcome.expired,
            "mismatches": len(run.mismatches),
        },
        now=now,
    )
    run.expired = outcome.expired  # for the command's summary; not stored
    return run


def summary(run: Reconciliation) -> Iterable[str]:
    expired = getattr(run, "expired", 0)
    yield (
        f"Ngày {run.day:%d/%m/%Y}: đã hỏi cổng {run.checked}, đã chốt {run.settled}, "
        f"hết hạn {expired}, chênh lệch {len(run.mismatches)}."
    )
    for item in run.mismatches:
        yield f"  {item['txn_ref']} [{item['ours']}]: {item['what']}"
