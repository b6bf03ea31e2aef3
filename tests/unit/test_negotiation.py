"""The negotiation status table: every allowed move, and a sample of refused ones."""

import pytest

from webapp.domain.errors import ValidationError
from webapp.domain.negotiation import (
    INITIAL,
    TRANSITIONS,
    NegotiationStatus,
    can_move,
    move,
    start,
)

S = NegotiationStatus

ALLOWED = [
    (S.AWAITING_REPLY, S.ACCEPTED),
    (S.AWAITING_REPLY, S.REJECTED),
    (S.AWAITING_REPLY, S.COUNTER_OFFER),
    (S.AWAITING_REPLY, S.INFO_REQUESTED),
    (S.AWAITING_REPLY, S.NO_REPLY),
    (S.AWAITING_REPLY, S.CLOSED),
    (S.ACCEPTED, S.CLOSED),
    (S.REJECTED, S.AWAITING_REPLY),
    (S.REJECTED, S.CLOSED),
    (S.COUNTER_OFFER, S.AWAITING_REPLY),
    (S.COUNTER_OFFER, S.ACCEPTED),
    (S.COUNTER_OFFER, S.REJECTED),
    (S.COUNTER_OFFER, S.CLOSED),
    (S.INFO_REQUESTED, S.AWAITING_REPLY),
    (S.INFO_REQUESTED, S.CLOSED),
    (S.NO_REPLY, S.AWAITING_REPLY),
    (S.NO_REPLY, S.ACCEPTED),
    (S.NO_REPLY, S.REJECTED),
    (S.NO_REPLY, S.COUNTER_OFFER),
    (S.NO_REPLY, S.INFO_REQUESTED),
    (S.NO_REPLY, S.CLOSED),
]


def test_a_negotiation_starts_awaiting_the_creditors_reply():
    assert start() is INITIAL is S.AWAITING_REPLY


def test_the_table_lists_exactly_the_allowed_moves():
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == set(ALLOWED)
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_an_allowed_move_gives_the_new_status(current, target):
    assert can_move(current, target)
    assert move(current.value, target.value) is target


REFUSED = [(a, b) for a in S for b in S if (a, b) not in set(ALLOWED)]


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_any_other_move_is_refused_naming_the_status(current, target):
    assert not can_move(current, target)
    with pytest.raises(ValidationError) as exc:
        move(current, target)
    assert exc.value.errors[0].path == "status"


def test_closed_is_final():
    assert TRANSITIONS[S.CLOSED] == frozenset()


def test_an_accepted_offer_cannot_be_rejected_afterwards():
    assert not can_move("accepted", "rejected")


def test_unknown_statuses_are_refused_not_crashed_on():
    assert not can_move("awaiting_reply", "lost")
    assert not can_move("lost", "closed")
