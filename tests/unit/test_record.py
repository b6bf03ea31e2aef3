"""Reading and writing the negotiation record and the contact log of a case file."""

from __future__ import annotations

import json

import pytest

from tests.unit.record_builders import accepted, case_file, contact, event, payment, sent
from webapp.domain.casefile import dump_case, parse_case
from webapp.domain.errors import ValidationError


def problems(data: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_case(data)
    return {e.path: e.message for e in err.value.errors}


FULL = case_file(
    negotiations=[
        {"debt_id": "a", "events": [
            sent("2027-02-01", offer_monthly="50.00", channel="post", notes="first letter"),
            event("2027-02-10", "counter_offer", monthly="80.00"),
            accepted("2027-02-12", "80.00", "2027-02-28", total="900.00", channel="phone"),
            payment("2027-02-28", "80.00")]},
        {"debt_id": "c", "events": [sent("2027-02-01", "hold"),
                                    event("2027-02-05", "info_requested")]},
    ],
    contacts=[contact("2027-01-03T22:30:00+08:00", connected=True, debt_id="a",
                      collector="某催收公司", party="family", notes="called my mother"),
              contact("2027-01-04T09:15:00-05:00", channel="sms", collector="Agency")],
    reply_days=21)


def test_the_record_round_trips_losslessly():
    case = parse_case(FULL)
    again = parse_case(json.loads(json.dumps(dump_case(case), ensure_ascii=False)))
    assert again == case
    dumped = dump_case(case)
    assert dumped["options"] == {"reply_days": 21}
    assert dumped["negotiations"] == FULL["negotiations"]
    assert dumped["contacts"][0] == FULL["contacts"][0]


def test_a_case_without_a_record_is_written_without_one():
    dumped = dump_case(parse_case(case_file()))
    assert "negotiations" not in dumped and "contacts" not in dumped and "options" not in dumped


def test_an_event_that_may_not_happen_is_named_at_its_type():
    data = case_file(negotiations=[{"debt_id": "a", "events": [
        sent("2027-02-01"), payment("2027-02-02", "10.00")]}])
    assert problems(data) == {
        "negotiations[0].events[1].type": "payment cannot follow a negotiation that is "
                                          "awaiting_reply"}


def test_a_reply_before_any_letter_is_refused():
    data = case_file(negotiations=[{"debt_id": "b", "events": [event("2027-02-01", "rejected")]}])
    assert list(problems(data)) == ["negotiations[0].events[0].type"]


def test_events_must_be_in_date_order():
    data = case_file(negotiations=[{"debt_id": "a", "events": [
        sent("2027-02-10"), event("2027-02-01", "rejected")]}])
    assert list(problems(data)) == ["negotiations[0].events[1].on"]


def test_one_negotiation_per_debt_of_the_case():
    data = case_file(negotiations=[{"debt_id": "a", "events": []},
                                   {"debt_id": "a", "events": []},
                                   {"debt_id": "zz", "events": []}])
    assert set(problems(data)) == {"negotiations[1].debt_id", "negotiations[2].debt_id"}


@pytest.mark.parametrize(("bad", "path"), [
    ({"on": "2027-02-30", "type": "sent", "letter": "proposal"}, "on"),
    ({"on": "2027-02-01", "type": "posted"}, "type"),
    ({"on": "2027-02-01", "type": "sent", "letter": "novel"}, "letter"),
    ({"on": "2027-02-01", "type": "sent", "letter": None}, "letter"),
    ({"on": "2027-02-01", "type": "sent"}, "letter"),
    ({"on": "2027-02-01", "type": "sent", "letter": "proposal", "offer_monthly": "-1"},
     "offer_monthly"),
])
def test_a_bad_first_event_is_named_by_field(bad, path):
    data = case_file(negotiations=[{"debt_id": "a", "events": [bad]}])
    assert list(problems(data)) == [f"negotiations[0].events[0].{path}"]


@pytest.mark.parametrize(("bad", "path"), [
    (event("2027-02-02", "counter_offer", monthly="0"), "monthly"),
    (event("2027-02-02", "counter_offer"), "monthly"),
    (accepted("2027-02-02", "10.00", "2027-13-01"), "first_payment"),
    (accepted("2027-02-02", "10.001", "2027-03-01"), "monthly"),
    (accepted("2027-02-02", "10.00", "2027-03-01", total="0"), "total"),
    (event("2027-02-02", "accepted", monthly="10.00"), "first_payment"),
])
def test_a_bad_reply_is_named_by_field(bad, path):
    data = case_file(negotiations=[{"debt_id": "a", "events": [sent("2027-02-01"), bad]}])
    assert list(problems(data)) == [f"negotiations[0].events[1].{path}"]


def test_no_payment_once_paid_in_full():
    events = [sent("2027-02-01"), accepted("2027-02-02", "600.00", "2027-03-01"),
              payment("2027-03-01", "600.00"), payment("2027-04-01", "400.00"),
              payment("2027-05-01", "1.00")]
    data = case_file(negotiations=[{"debt_id": "a", "events": events}])
    assert list(problems(data)) == ["negotiations[0].events[4].type"]


def test_an_agreement_longer_than_any_schedule_is_refused():
    events = [sent("2027-02-01"), accepted("2027-02-02", "0.01", "2027-03-01")]
    data = case_file(negotiations=[{"debt_id": "c", "events": events}])  # 6000 at 1 cent
    assert list(problems(data)) == ["negotiations[0].events[1].monthly"]
    token = [sent("2027-02-01"), accepted("2027-02-02", "1.00", "2027-03-01")]
    parse_case(case_file(negotiations=[{"debt_id": "c", "events": token}]))  # 6000 payments


@pytest.mark.parametrize(("at", "message"), [
    ("2027-01-03T22:30:00", "needs its UTC offset"),
    ("2027-01-03 22:30:00+08:00", "ISO 8601"),
    ("2027-02-30T10:00:00+08:00", "not a real"),
    ("yesterday", "ISO 8601"),
])
def test_a_contact_needs_a_real_time_with_its_offset(at, message):
    found = problems(case_file(contacts=[contact(at)]))
    assert list(found) == ["contacts[0].at"]
    assert message in found["contacts[0].at"]


@pytest.mark.parametrize(("field", "value"), [
    ("channel", "pigeon"), ("party", "neighbour"), ("connected", "yes"), ("debt_id", "zz"),
    ("notes", "x" * 2001), ("collector", "bad\x1bname")])
def test_a_bad_contact_field_is_named(field, value):
    bad = {**contact("2027-01-03T10:00:00+08:00"), field: value}
    assert list(problems(case_file(contacts=[bad]))) == [f"contacts[0].{field}"]


@pytest.mark.parametrize("days", [0, 366, "30", True])
def test_reply_days_is_a_whole_number_of_days_up_to_a_year(days):
    assert list(problems(case_file(reply_days=days))) == ["options.reply_days"]
