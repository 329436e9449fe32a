"""The payment states and the only moves between them, as data. Actions check every change of
`Payment.state` against this graph; tests walk it edge by edge."""

from .models import Payment

State = Payment.State

# from -> the states it may move to.
GRAPH: dict[str, frozenset[str]] = {
    State.CREATED: frozenset({State.STARTED, State.EXPIRED, State.CANCELLED}),
    State.STARTED: frozenset({State.SUCCESS, State.FAILED, State.CANCELLED, State.EXPIRED}),
    State.SUCCESS: frozenset({State.REFUNDED}),
    State.FAILED: frozenset(),
    State.CANCELLED: frozenset(),
    # A late success: we stopped waiting, but the payer finished at the gateway before its own
    # timeout and the bank took the money. The gateway's paid IPN is the truth about the money,
    # so it still credits the payment; refusing it would lose a payment the citizen has made.
    State.EXPIRED: frozenset({State.SUCCESS}),
    State.REFUNDED: frozenset(),
}

# States in which the payer may still be paying: one such payment per dossier at a time.
OPEN = frozenset({State.CREATED, State.STARTED})
# States the gateway's outcome may still change.
AWAITING_GATEWAY = frozenset({State.CREATED, State.STARTED, State.EXPIRED})
FINAL = frozenset(state for state, targets in GRAPH.items() if not targets)


def can_move(from_state: str, to_state: str) -> bool:
    """Whether a payment in `from_state` may move to `to_state`."""
    return to_state in GRAPH.get(from_state, frozenset())
