"""Every change of a payment's state, once: create, start, settle (from the gateway's word),
expire, refund; and the agency's fee amounts. Views, the API, the IPN and jobs call these.

Each action takes keyword-only arguments (including `now`), runs in a transaction, locks the
rows it changes, checks the move against the graph in states.py, writes the audit entry in the
same transaction, and raises a PaymentError subclass whose message is fit for the user.
"""

from .agency import set_agency_fee, set_prepayment_rule
from .errors import (
    AlreadySettled,
    AmountMismatch,
    IdempotencyConflict,
    IllegalMove,
    InvalidRequest,
    NotAllowed,
    NotPayable,
    PaymentError,
    RefundRefused,
)
from .gateway import Returned, receive_ipn, receive_return
from .paying import create_payment, expire_payments, purpose_now, request_hash, start_payment
from .settling import outcome_of, refund_duplicate, refund_payment, settle

__all__ = [
    "Returned",
    "receive_ipn",
    "receive_return",
    "AlreadySettled",
    "AmountMismatch",
    "IdempotencyConflict",
    "IllegalMove",
    "InvalidRequest",
    "NotAllowed",
    "NotPayable",
    "PaymentError",
    "RefundRefused",
    "create_payment",
    "expire_payments",
    "outcome_of",
    "purpose_now",
    "refund_duplicate",
    "refund_payment",
    "request_hash",
    "set_agency_fee",
    "set_prepayment_rule",
    "settle",
    "start_payment",
]
