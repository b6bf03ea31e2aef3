"""The negotiation transition table of shared/CASEFILE.md: every event in every base status."""

import pytest

from webapp.domain.errors import ValidationError
from webapp.domain.negotiation import (
    INITIAL,
    TRANSITIONS,
    EventType,
    NegotiationStatus,
    apply,
    can_apply,
    start,
)

S = NegotiationStatus
E = EventType

#: CASEFILE.md's table, written out: (event, allowed in, status after).
CONTRACT = {
    E.SENT: ({S.NOT_CONTACTED, S.AWAITING_REPLY, S.INFO_REQUESTED, S.REJECTED,
              S.COUNTER_OFFER}, S.AWAITING_REPLY),
    E.INFO_REQUESTED: ({S.AWAITING_REPLY}, S.INFO_REQUESTED),
    E.REJECTED: ({S.AWAITING_REPLY}, S.REJECTED),
    E.COUNTER_OFFER: ({S.AWAITING_REPLY}, S.COUNTER_OFFER),
    E.ACCEPTED: ({S.AWAITING_REPLY, S.COUNTER_OFFER}, S.AGREEMENT_ACTIVE),
    E.PAYMENT: ({S.AGREEMENT_ACTIVE}, S.AGREEMENT_ACTIVE),
}

CELLS = [(e, s) for e in E for s in S]


def test_a_negotiation_starts_not_contacted_and_sending_opens_it():
    assert INITIAL is S.NOT_CONTACTED
    assert start() is S.AWAITING_REPLY


def test_the_table_is_the_contracts():
    assert {e: (set(allowed), after) for e, (allowed, after) in TRANSITIONS.items()} == CONTRACT


@pytest.mark.parametrize(("event", "status"), CELLS, ids=lambda x: x.value)
def test_every_event_in_every_status(event, status):
    allowed, after = CONTRACT[event]
    assert can_apply(status, event) is (status in allowed)
    if status in allowed:
        assert apply(status, event) is after
    else:
        with pytest.raises(ValidationError) as err:
            apply(status, event, path="negotiations[0].events[3].type")
        assert err.value.errors[0].path == "negotiations[0].events[3].type"
        assert event.value in err.value.errors[0].message


def test_unknown_events_and_statuses_are_refused():
    assert not can_apply("awaiting_reply", "lost")
    assert not can_apply("lost", "sent")
    with pytest.raises(ValidationError) as err:
        apply("awaiting_reply", "lost")
    assert "must be one of" in err.value.errors[0].message
