"""Where a negotiation with one creditor stands, and how it may move on.

A negotiation starts when the first letter to a creditor is sent (status
``awaiting_reply``). The creditor's replies move it along the table below;
tracking replies comes later, so today only :func:`start` is used by the web
app, but the table is the one place the allowed moves are written down.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import FieldError, ValidationError


class NegotiationStatus(StrEnum):
    #: a letter went out; the creditor has not answered yet
    AWAITING_REPLY = "awaiting_reply"
    #: the creditor accepted the offer: keep paying, review once a year
    ACCEPTED = "accepted"
    #: the creditor refused the offer; a "please reconsider" letter may follow
    REJECTED = "rejected"
    #: the creditor asked for a different amount or term
    COUNTER_OFFER = "counter_offer"
    #: the creditor asked for more information (proof of income, a form...)
    INFO_REQUESTED = "info_requested"
    #: no answer within the time the letter gave; a reminder may follow
    NO_REPLY = "no_reply"
    #: finished: the debt is settled, paid, written off or handed elsewhere
    CLOSED = "closed"


S = NegotiationStatus

#: The status every negotiation starts in: the first letter has been sent.
INITIAL = S.AWAITING_REPLY

#: From each status, the statuses it may move to. Sending another letter
#: (reconsider, answer, reminder) moves back to ``awaiting_reply``; ``closed``
#: is final.
TRANSITIONS: dict[NegotiationStatus, frozenset[NegotiationStatus]] = {
    S.AWAITING_REPLY: frozenset(
        {S.ACCEPTED, S.REJECTED, S.COUNTER_OFFER, S.INFO_REQUESTED, S.NO_REPLY, S.CLOSED}
    ),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.REJECTED: frozenset({S.AWAITING_REPLY, S.CLOSED}),
    S.COUNTER_OFFER: frozenset({S.AWAITING_REPLY, S.ACCEPTED, S.REJECTED, S.CLOSED}),
    S.INFO_REQUESTED: frozenset({S.AWAITING_REPLY, S.CLOSED}),
    S.NO_REPLY: frozenset(
        {S.AWAITING_REPLY, S.ACCEPTED, S.REJECTED, S.COUNTER_OFFER, S.INFO_REQUESTED, S.CLOSED}
    ),
    S.CLOSED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    """Whether a negotiation in ``current`` may move to ``target``."""
    try:
        return NegotiationStatus(target) in TRANSITIONS[NegotiationStatus(current)]
    except ValueError:
        return False


def move(current: str, target: str) -> NegotiationStatus:
    """The new status; ValidationError on ``status`` if the move is not allowed."""
    if not can_move(current, target):
        raise ValidationError(
            [FieldError("status", f"a negotiation cannot go from {current} to {target}")]
        )
    return NegotiationStatus(target)


def start() -> NegotiationStatus:
    """The status of a negotiation opened by sending a letter."""
    return INITIAL
