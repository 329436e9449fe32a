"""What the payment actions share: lock the row, check the move against the graph, audit."""

from datetime import datetime

from opendvc.audit.actions import record

from .. import states
from ..models import Payment
from .errors import IllegalMove

State = Payment.State


def move(payment: Payment, to: str) -> None:
    if not states.can_move(payment.state, to):
        raise IllegalMove(
            f"Giao dịch đang ở trạng thái “{payment.get_state_display()}”, "
            "không thể thực hiện thao tác này."
        )
    payment.state = to


def audit(verb: str, payment: Payment, by, now: datetime, **payload) -> None:
    record(
        action=f"payments.{verb}",
        actor=by,
        target=payment,
        payload={"txn_ref": payment.txn_ref, "state": payment.state, **payload},
        now=now,
    )


def lock_payment(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment.pk)


def expire(payment: Payment, now: datetime) -> None:
    move(payment, State.EXPIRED)
    payment.ended_at = now
    payment.save(update_fields=["state", "ended_at"])
    audit("expired", payment, None, now)
