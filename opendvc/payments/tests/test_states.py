"""The payment state graph, edge by edge: every allowed move and every refused one."""

import itertools

import pytest

from opendvc.payments import states
from opendvc.payments.models import Payment

S = Payment.State

# Written out again here, by hand, from the issue: the graph must say exactly this.
ALLOWED = {
    (S.CREATED, S.STARTED),
    (S.CREATED, S.EXPIRED),
    (S.CREATED, S.CANCELLED),
    (S.STARTED, S.SUCCESS),
    (S.STARTED, S.FAILED),
    (S.STARTED, S.CANCELLED),
    (S.STARTED, S.EXPIRED),
    (S.SUCCESS, S.REFUNDED),
    (S.EXPIRED, S.SUCCESS),  # the money was taken after we stopped waiting
}
ALL_PAIRS = list(itertools.product(S.values, S.values))


@pytest.mark.parametrize(("from_state", "to_state"), sorted(ALLOWED))
def test_allowed_edge(from_state, to_state):
    assert states.can_move(from_state, to_state)


@pytest.mark.parametrize(
    ("from_state", "to_state"), [pair for pair in ALL_PAIRS if pair not in ALLOWED]
)
def test_refused_edge(from_state, to_state):
    assert not states.can_move(from_state, to_state)


def test_every_state_is_in_the_graph():
    assert set(states.GRAPH) == set(S.values)


def test_final_states_move_nowhere():
    assert states.FINAL == {S.FAILED, S.CANCELLED, S.REFUNDED}


def test_an_unknown_state_moves_nowhere():
    assert not states.can_move("PAID", S.REFUNDED)
