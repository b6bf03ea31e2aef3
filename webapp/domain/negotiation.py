"""Where a negotiation with one creditor stands, and how events move it on.

The *base* status is moved by the events of the record (``shared/CASEFILE.md``,
``negotiations[].events[]``). The status a person sees on a given day is
derived from it in :mod:`webapp.domain.status`: an ``awaiting_reply`` past its
reply-by date shows as ``no_reply``, an agreement as ``agreement_active``,
``in_arrears`` or ``completed``. This table is the one place the allowed moves
are written down; anything else is refused at ``negotiations[i].events[j].type``.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import FieldError, ValidationError


class NegotiationStatus(StrEnum):
    """The base status, as events leave it."""

    #: nothing sent yet
    NOT_CONTACTED = "not_contacted"
    #: a letter went out; the creditor has not answered yet
    AWAITING_REPLY = "awaiting_reply"
    #: the creditor asked for more information (proof of income, a form...)
    INFO_REQUESTED = "info_requested"
    #: the creditor refused the offer; a "please reconsider" letter may follow
    REJECTED = "rejected"
    #: the creditor asked for a different amount
    COUNTER_OFFER = "counter_offer"
    #: the creditor accepted: an agreed schedule runs, payments are recorded
    AGREEMENT_ACTIVE = "agreement_active"


class EventType(StrEnum):
    """What can happen in a negotiation."""

    #: a letter (an offer, a reminder, the information asked for...) was sent
    SENT = "sent"
    #: the creditor asked for information
    INFO_REQUESTED = "info_requested"
    #: the creditor refused
    REJECTED = "rejected"
    #: the creditor asked for another monthly amount (``monthly``)
    COUNTER_OFFER = "counter_offer"
    #: the creditor agreed (``monthly``, ``first_payment``, optional ``total``)
    ACCEPTED = "accepted"
    #: a payment under the agreement (``amount``)
    PAYMENT = "payment"


S = NegotiationStatus
E = EventType

#: The status every negotiation starts in, before any event.
INITIAL = S.NOT_CONTACTED

#: For each event: the base statuses it may happen in, and the status after it.
#: (A payment is also refused once the agreement is paid in full: that needs
#: the amounts, so :mod:`webapp.domain.status` checks it.)
TRANSITIONS: dict[EventType, tuple[frozenset[NegotiationStatus], NegotiationStatus]] = {
    E.SENT: (frozenset({S.NOT_CONTACTED, S.AWAITING_REPLY, S.INFO_REQUESTED, S.REJECTED,
                        S.COUNTER_OFFER}), S.AWAITING_REPLY),
    E.INFO_REQUESTED: (frozenset({S.AWAITING_REPLY}), S.INFO_REQUESTED),
    E.REJECTED: (frozenset({S.AWAITING_REPLY}), S.REJECTED),
    E.COUNTER_OFFER: (frozenset({S.AWAITING_REPLY}), S.COUNTER_OFFER),
    E.ACCEPTED: (frozenset({S.AWAITING_REPLY, S.COUNTER_OFFER}), S.AGREEMENT_ACTIVE),
    E.PAYMENT: (frozenset({S.AGREEMENT_ACTIVE}), S.AGREEMENT_ACTIVE),
}


def can_apply(status: str, event: str) -> bool:
    """Whether ``event`` may happen to a negotiation whose base status is ``status``."""
    try:
        allowed, _after = TRANSITIONS[EventType(event)]
        return NegotiationStatus(status) in allowed
    except ValueError:
        return False


def apply(status: str, event: str, *, path: str = "type") -> NegotiationStatus:
    """The base status after ``event``; ValidationError at ``path`` if it may not happen."""
    try:
        kind = EventType(event)
    except ValueError:
        names = ", ".join(e.value for e in EventType)
        raise ValidationError([FieldError(path, f"must be one of {names}", "event_type")]
                              ) from None
    if not can_apply(status, kind):
        raise ValidationError([FieldError(
            path, f"{kind.value} cannot follow a negotiation that is {status}", "transition",
            {"event": kind.value, "status": str(status)})])
    return TRANSITIONS[kind][1]


def start() -> NegotiationStatus:
    """The base status once the first letter to a creditor has been sent."""
    return apply(INITIAL, EventType.SENT)
