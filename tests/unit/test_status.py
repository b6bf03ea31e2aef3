"""parley-status/1: every derived status, the agreed schedule's figures and the re-plan.

Exact figures, worked by hand from shared/CASEFILE.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.unit.record_builders import accepted, case_file, debt, event, payment, sent
from webapp.domain.casefile import parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.record import MAX_AGREED_PAYMENTS
from webapp.domain.status import Status, agreement_on, make_status, payments_before

D = date.fromisoformat


def status(negotiations, today: str, **kwargs) -> dict:
    return make_status(parse_case(case_file(negotiations=negotiations, **kwargs)), D(today))


def one(negotiations, today: str, debt_id: str = "a", **kwargs) -> dict:
    doc = status(negotiations, today, **kwargs)
    return next(c for c in doc["creditors"] if c["debt_id"] == debt_id)


def test_the_document_has_the_contracts_shape():
    doc = status([], "2027-03-01")
    assert doc["format"] == "parley-status/1"
    assert doc["today"] == "2027-03-01"
    assert [c["debt_id"] for c in doc["creditors"]] == ["a", "b", "c"]
    assert doc["breaches"] == []
    assert list(doc["creditors"][0]) == [
        "debt_id", "creditor", "status", "next_action", "due", "overdue", "reply_by",
        "agreed_monthly", "agreed_total", "paid", "arrears", "remaining", "next_payment",
        "replan"]


def test_a_creditor_without_events_is_not_contacted():
    c = one([], "2027-03-01")
    assert (c["status"], c["next_action"], c["due"], c["overdue"]) == (
        "not_contacted", "write", None, False)
    assert (c["paid"], c["arrears"], c["agreed_monthly"], c["remaining"]) == (
        "0.00", "0.00", None, None)


@pytest.mark.parametrize(("today", "expected", "action", "overdue"), [
    ("2027-02-10", "awaiting_reply", "wait", False),
    ("2027-03-12", "awaiting_reply", "wait", False),   # the reply-by day itself
    ("2027-03-13", "no_reply", "follow_up", True),     # the day after
])
def test_awaiting_a_reply_until_the_reply_by_date(today, expected, action, overdue):
    c = one([{"debt_id": "a", "events": [sent("2027-02-10")]}], today)
    assert c["reply_by"] == "2027-03-12"  # 10 Feb + 30 days
    assert (c["status"], c["next_action"], c["due"], c["overdue"]) == (
        expected, action, "2027-03-12", overdue)


def test_reply_days_come_from_the_options_and_the_last_letter_counts():
    events = [sent("2027-02-10"), event("2027-02-20", "rejected"), sent("2027-02-25", "reconsider")]
    c = one([{"debt_id": "a", "events": events}], "2027-03-01", reply_days=21)
    assert (c["status"], c["reply_by"], c["due"]) == ("awaiting_reply", "2027-03-18", "2027-03-18")


@pytest.mark.parametrize(("kind", "extra", "action"), [
    ("info_requested", {}, "send_information"),
    ("rejected", {}, "reconsider"),
    ("counter_offer", {"monthly": "150.00"}, "decide"),
])
def test_a_reply_gives_fourteen_days_to_act(kind, extra, action):
    negotiations = [{"debt_id": "a", "events": [sent("2027-02-10"),
                                                 event("2027-02-20", kind, **extra)]}]
    on_time = one(negotiations, "2027-03-06")
    late = one(negotiations, "2027-03-07")
    assert (on_time["status"], on_time["next_action"], on_time["due"]) == (
        kind, action, "2027-03-06")
    assert (on_time["overdue"], late["overdue"]) == (False, True)
    assert on_time["reply_by"] is None


def test_an_agreement_from_the_31st_pays_on_month_ends():
    events = [sent("2027-01-05"), accepted("2027-01-20", "100.00", "2027-01-31", total="450.00")]
    c = one([{"debt_id": "a", "events": events}], "2027-02-28")
    # payments: 31 Jan, 28 Feb, 31 Mar, 30 Apr (100 each) and 31 May (50)
    assert (c["status"], c["next_action"]) == ("in_arrears", "pay_arrears")
    assert (c["arrears"], c["paid"], c["remaining"]) == ("100.00", "0.00", "450.00")
    assert c["next_payment"] == {"date": "2027-01-31", "amount": "100.00"}
    assert (c["agreed_monthly"], c["agreed_total"]) == ("100.00", "450.00")


def test_arrears_start_the_day_after_a_due_date_not_on_it():
    events = [sent("2027-01-05"), accepted("2027-01-20", "100.00", "2027-02-28"),
              payment("2027-02-28", "100.00")]
    on_due = one([{"debt_id": "a", "events": events}], "2027-03-28")
    day_after = one([{"debt_id": "a", "events": events}], "2027-03-29")
    assert (on_due["status"], on_due["arrears"], on_due["due"]) == (
        "agreement_active", "0.00", "2027-03-28")
    assert on_due["overdue"] is False
    assert (day_after["status"], day_after["arrears"], day_after["overdue"]) == (
        "in_arrears", "100.00", True)


def test_a_short_payment_leaves_the_rest_of_that_instalment_next():
    events = [sent("2027-01-05"), accepted("2027-01-20", "150.00", "2027-02-15"),
              payment("2027-02-15", "150.00"), payment("2027-03-15", "100.00")]
    c = one([{"debt_id": "a", "events": events}], "2027-03-20")  # total = balance 1000
    assert (c["paid"], c["arrears"], c["remaining"]) == ("250.00", "50.00", "750.00")
    assert c["next_payment"] == {"date": "2027-03-15", "amount": "50.00"}
    assert c["status"] == "in_arrears"


def test_paying_ahead_moves_the_next_payment_on():
    events = [sent("2027-01-05"), accepted("2027-01-20", "150.00", "2027-02-15"),
              payment("2027-02-10", "400.00")]
    c = one([{"debt_id": "a", "events": events}], "2027-02-20")
    assert (c["status"], c["arrears"]) == ("agreement_active", "0.00")
    assert c["next_payment"] == {"date": "2027-04-15", "amount": "50.00"}


def test_the_last_payment_is_the_rest_and_then_it_is_completed():
    events = [sent("2027-01-05"), accepted("2027-01-20", "400.00", "2027-02-01"),
              payment("2027-02-01", "400.00"), payment("2027-03-01", "400.00")]
    c = one([{"debt_id": "a", "events": events}], "2027-03-02")
    assert c["next_payment"] == {"date": "2027-04-01", "amount": "200.00"}
    done = one([{"debt_id": "a", "events": [*events, payment("2027-03-05", "200.00")]}],
               "2027-06-01")
    assert (done["status"], done["next_action"], done["due"], done["next_payment"]) == (
        "completed", "none", None, None)
    assert (done["paid"], done["remaining"], done["arrears"]) == ("1000.00", "0.00", "0.00")


def test_payments_before_counts_month_ends_exactly():
    first = D("2027-01-31")
    assert [payments_before(first, D(d)) for d in (
        "2027-01-31", "2027-02-01", "2027-02-28", "2027-03-01", "2027-03-31", "2028-01-31",
    )] == [0, 1, 1, 2, 2, 12]


def test_a_priority_debt_is_listed_only_with_a_negotiation():
    debts = [debt("rent", "900", "500", kind="rent_arrears"), debt("a", "1000"),
             debt("tax", "300", "50", kind="council_tax")]
    doc = make_status(parse_case(case_file(debts, [
        {"debt_id": "tax", "events": [sent("2027-02-01", "hold")]}])), D("2027-02-02"))
    assert [c["debt_id"] for c in doc["creditors"]] == ["a", "tax"]


def test_events_after_today_are_refused_at_their_date():
    negotiations = [{"debt_id": "b", "events": [sent("2027-02-10"),
                                                 event("2027-03-02", "rejected")]}]
    with pytest.raises(ValidationError) as err:
        status(negotiations, "2027-03-01")
    assert [e.path for e in err.value.errors] == ["negotiations[0].events[1].on"]


def test_a_counter_offer_replan_that_holds():
    # 1000 available; a counters at 150; b has an agreement at 300; c re-split alone
    negotiations = [
        {"debt_id": "a", "events": [sent("2027-02-01"),
                                    event("2027-02-10", "counter_offer", monthly="150.00")]},
        {"debt_id": "b", "events": [sent("2027-02-01"),
                                    accepted("2027-02-05", "300.00", "2027-02-28")]},
    ]
    c = one(negotiations, "2027-02-20")
    assert c["replan"] == {
        "offers": [{"debt_id": "a", "monthly": "150.00", "locked": True},
                   {"debt_id": "b", "monthly": "300.00", "locked": True},
                   {"debt_id": "c", "monthly": "550.00", "locked": False}],
        "available": "1000.00", "holds": True, "shortfall": "0.00"}
    assert one(negotiations, "2027-02-20", "b")["replan"] is None


def test_a_counter_offer_replan_that_falls_short():
    negotiations = [{"debt_id": "a", "events": [
        sent("2027-02-01"), event("2027-02-10", "counter_offer", monthly="95.00")]}]
    c = one(negotiations, "2027-02-20", income="100", min_offer="5")
    # locked 95 + 5 + 5 for the others = 105 > 100
    assert c["replan"] == {
        "offers": [{"debt_id": "a", "monthly": "95.00", "locked": True},
                   {"debt_id": "b", "monthly": "5.00", "locked": False},
                   {"debt_id": "c", "monthly": "5.00", "locked": False}],
        "available": "100.00", "holds": False, "shortfall": "5.00"}


def test_a_completed_agreement_leaves_the_replan():
    negotiations = [
        {"debt_id": "a", "events": [sent("2027-02-01"),
                                    accepted("2027-02-05", "1000.00", "2027-02-06"),
                                    payment("2027-02-06", "1000.00")]},
        {"debt_id": "b", "events": [sent("2027-02-01"),
                                    event("2027-02-10", "counter_offer", monthly="200.00")]},
    ]
    c = one(negotiations, "2027-02-20", "b")
    assert c["replan"]["offers"] == [
        {"debt_id": "b", "monthly": "200.00", "locked": True},
        {"debt_id": "c", "monthly": "800.00", "locked": False}]


def test_the_shared_negotiation_example():
    from pathlib import Path

    from webapp.domain.casefile import loads

    path = Path(__file__).resolve().parents[1] / "data" / "examples" / "cn-negotiation.json"
    case = loads(path.read_bytes())
    doc = make_status(case, D("2027-04-01"))
    by = {c["debt_id"]: c for c in doc["creditors"]}
    assert (by["icbc"]["status"], by["icbc"]["due"]) == ("counter_offer", "2027-03-20")
    assert by["icbc"]["replan"]["holds"] is True
    assert (by["pab"]["status"], by["pab"]["next_payment"]) == (
        "agreement_active", {"date": "2027-04-30", "amount": "500.00"})
    assert (by["wld"]["status"], by["wld"]["reply_by"]) == ("no_reply", "2027-03-13")
    assert doc["breaches"] == [{"contact": 0, "rule": "cn.night"},
                               {"contact": 1, "rule": "cn.third_party"}]


# --- properties ----------------------------------------------------------------------

@st.composite
def agreements(draw):
    monthly = Decimal(draw(st.integers(1, 50_000))) / 100
    total = Decimal(draw(st.integers(1, 2_000_000))) / 100
    first = D("2027-01-01").replace(day=draw(st.integers(1, 28))) if draw(st.booleans()) \
        else D("2027-01-31")
    amounts = draw(st.lists(st.integers(1, 100_000), max_size=8))
    today = first.fromordinal(first.toordinal() + draw(st.integers(-40, 4000)))
    return monthly, total, first, [Decimal(a) / 100 for a in amounts], today


@given(agreements())
@settings(max_examples=300, deadline=None)
def test_an_agreements_figures_always_add_up(args):
    from webapp.domain.model import Event

    monthly, total, first, payments, today = args
    # what the case-file parser lets through (record.MAX_AGREED_PAYMENTS)
    assume(total <= monthly * MAX_AGREED_PAYMENTS)
    accepted_event = Event(on=first, type="accepted", monthly=monthly, first_payment=first,
                           total=total)
    a = agreement_on(accepted_event, payments, Decimal(0), today)
    assert a.arrears >= 0 and a.remaining >= 0
    if a.paid <= total:
        assert a.paid + a.remaining == total
    if a.next_payment is not None:
        day, amount = a.next_payment
        assert 0 < amount <= monthly
        assert day >= first
    else:
        assert a.paid >= total


EVENT_KINDS = ["sent", "info_requested", "rejected", "counter_offer", "accepted", "payment"]


@given(st.lists(st.sampled_from(EVENT_KINDS), max_size=12), st.integers(0, 400))
@settings(max_examples=300, deadline=None)
def test_any_valid_event_sequence_has_a_status(kinds, offset):
    """Random sequences: the allowed prefix always yields a defined status,
    paid + remaining = total and no negative arrears."""
    from webapp.domain.negotiation import INITIAL, can_apply
    from webapp.domain.negotiation import apply as move

    events, state, day, paid = [], INITIAL, D("2027-01-01"), Decimal(0)
    for n, kind in enumerate(kinds):
        if not can_apply(state, kind) or (kind == "payment" and paid >= 1000):
            continue
        on = day.fromordinal(day.toordinal() + 3 * n).isoformat()
        extra = {"sent": {"letter": "proposal"}, "counter_offer": {"monthly": "120.00"},
                 "accepted": {"monthly": "100.00", "first_payment": on},
                 "payment": {"amount": "100.00"}}.get(kind, {})
        events.append(event(on, kind, **extra))
        state = move(state, kind)
        paid += 100 if kind == "payment" else 0
    today = D("2027-01-01").fromordinal(D("2027-01-01").toordinal() + 3 * len(kinds) + offset)
    c = one([{"debt_id": "a", "events": events}], today.isoformat())
    assert c["status"] in {"not_contacted", "awaiting_reply", "no_reply", "info_requested",
                           "rejected", "counter_offer", "agreement_active", "in_arrears",
                           "completed"}
    assert Decimal(c["arrears"]) >= 0
    if c["agreed_total"] is not None:
        assert Decimal(c["paid"]) + Decimal(c["remaining"]) == Decimal(c["agreed_total"])


@given(st.lists(st.tuples(st.sampled_from(EVENT_KINDS), st.integers(0, 45),
                          st.integers(1, 90_000)), max_size=14),
       st.integers(0, 800), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_valid_sequence_with_any_amounts_and_gaps_adds_up(steps, offset, with_total):
    """As above, with random gaps between events, random figures and an agreed
    total or not: the status is defined, paid + remaining = total while not
    overpaid, arrears are never negative and never more than the total."""
    from webapp.domain.negotiation import INITIAL, can_apply
    from webapp.domain.negotiation import apply as move

    events, state, day = [], INITIAL, D("2027-01-01")
    total, paid = None, Decimal(0)
    for kind, gap, cents_ in steps:
        if not can_apply(state, kind) or (kind == "payment" and paid >= total):
            continue
        day = day.fromordinal(day.toordinal() + gap)
        amount = Decimal(cents_) / 100
        extra = {"sent": {"letter": "proposal"}, "counter_offer": {"monthly": str(amount)},
                 "payment": {"amount": str(amount)}}.get(kind, {})
        if kind == "accepted":
            amount = max(amount, Decimal(1))  # (at most MAX_AGREED_PAYMENTS payments)
            total = Decimal(1000) if not with_total else amount * 3
            extra = {"monthly": str(amount), "first_payment": day.isoformat(),
                     **({"total": str(total)} if with_total else {})}
        events.append(event(day.isoformat(), kind, **extra))
        state = move(state, kind)
        paid += amount if kind == "payment" else 0
    today = day.fromordinal(day.toordinal() + offset)
    c = one([{"debt_id": "a", "events": events}], today.isoformat())
    assert c["status"] in {s.value for s in Status}
    assert Decimal(c["arrears"]) >= 0
    if c["agreed_total"] is not None:
        agreed = Decimal(c["agreed_total"])
        assert Decimal(c["arrears"]) <= agreed
        if Decimal(c["paid"]) <= agreed:
            assert Decimal(c["paid"]) + Decimal(c["remaining"]) == agreed
        assert (c["status"] == "completed") == (Decimal(c["paid"]) >= agreed)
