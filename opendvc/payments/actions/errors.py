"""The payment errors; str(error) is a Vietnamese message for the user."""


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
