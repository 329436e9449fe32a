"""What the gateway sends: its server-to-server notification (IPN), which alone marks a payment
paid, and the payer's return, which only shows the outcome. Every message is kept as a
GatewayMessage, the evidence for reconciliation and disputes."""

import logging
from dataclasses import dataclass
from datetime import datetime

from .. import states
from ..gateways import vnpay
from ..models import GatewayMessage, Payment
from .errors import AlreadySettled
from .settling import settle

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Returned:
    is_valid: bool
    payment: Payment | None
    result: vnpay.GatewayResult | None


def receive_ipn(*, params: dict[str, str], now: datetime) -> str:
    """Check an IPN in the protocol's order — signature (97), order (01), amount (04), already
    confirmed (02) — settle the payment (00), keep the message, and return the code to
    answer; 99 on anything unexpected (logged: the gateway retries). Raises nothing."""
    code, payment, valid = "99", None, False
    try:
        code, payment, valid = _checked(params, now)
    except vnpay.BadMessage as error:
        logger.warning("IPN with a bad message: %s", error)
        valid = True
    except Exception:
        logger.exception("IPN failed for %s", params.get("vnp_TxnRef", "?"))
    _keep(GatewayMessage.Kind.IPN, params, payment, valid, now, code)
    return code


def _checked(params: dict[str, str], now: datetime) -> tuple[str, Payment | None, bool]:
    if not vnpay.verify(params, vnpay.config().hash_secret):
        return "97", None, False
    payment = Payment.objects.filter(txn_ref=params.get("vnp_TxnRef", "")).first()
    if payment is None:
        return "01", None, True
    result = vnpay.parse_result(params)
    if result.amount_vnd != payment.amount:
        return "04", payment, True
    if payment.state not in states.AWAITING_GATEWAY:
        return "02", payment, True
    try:
        settle(payment=payment, result=result, source="IPN", now=now)
    except AlreadySettled:  # another notification got there first
        return "02", payment, True
    return "00", payment, True


def receive_return(*, params: dict[str, str], now: datetime) -> Returned:
    """Keep the payer's return and read it; it changes no payment. Raises nothing."""
    valid = vnpay.verify(params, vnpay.config().hash_secret)
    payment = result = None
    if valid:
        payment = (
            Payment.objects.select_related("dossier")
            .filter(txn_ref=params.get("vnp_TxnRef", ""))
            .first()
        )
        try:
            result = vnpay.parse_result(params)
        except vnpay.BadMessage:
            valid = False
    _keep(GatewayMessage.Kind.RETURN, params, payment, valid, now)
    return Returned(is_valid=valid, payment=payment, result=result)


def _keep(kind, params, payment, valid: bool, now: datetime, answer: str = "") -> None:
    GatewayMessage.objects.create(
        payment=payment, kind=kind, at=now, params=params, is_signature_valid=valid, answer=answer
    )
