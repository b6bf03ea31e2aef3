"""An agreement's progress (paid, remaining, months left, each instalment on
time, late, short or missed) and its annual review date; exact figures worked
by hand, and properties over random payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.unit.record_builders import accepted, case_file, debt, payment, sent
from webapp.domain.agreements import Paid, agreement_progress, case_progress, review_on
from webapp.domain.casefile import parse_case
from webapp.domain.model import Debt, DebtKind, Event
from webapp.domain.money import ZERO
from webapp.domain.record import MAX_AGREED_PAYMENTS
from webapp.domain.status import (
    CreditorStatus,
    NextAction,
    Status,
    agreement_on,
    creditor_statuses,
    make_status,
)

D = date.fromisoformat


def progress_of(events, today: str, balance="1000", **kwargs):
    case = parse_case(case_file([debt("a", balance), debt("b", "3000")],
                                negotiations=[{"debt_id": "a", "events": events}], **kwargs))
    states = creditor_statuses(case, D(today))
    board = case_progress(case, states, D(today))
    return board, board.rows[0] if board.rows else None


AGREED = [sent("2027-01-05"), accepted("2027-01-20", "150", "2027-02-15")]


def test_a_creditor_without_an_agreement_has_no_progress():
    board, row = progress_of([sent("2027-01-05")], "2027-03-01")
    assert row is None and board.rows == () and board.total == Decimal("0.00")


def test_paid_on_time_then_missed_shows_the_arrears_it_makes():
    board, row = progress_of([*AGREED, payment("2027-02-15", "150")], "2027-03-16")
    assert [(i.number, i.due, i.paid, i.state) for i in row.instalments] == [
        (1, D("2027-02-15"), Decimal("150.00"), Paid.ON_TIME),
        (2, D("2027-03-15"), Decimal("0.00"), Paid.MISSED)]
    assert (row.missed, row.short, row.late, row.due_count) == (1, 0, 0, 2)
    assert row.agreement.arrears == sum(i.unpaid for i in row.instalments) == Decimal("150.00")
    # 1000 at 150: six of 150 and a last of 100; one paid
    assert (row.agreement.payments, row.months_left, row.ends_on) == (7, 6, D("2027-08-15"))
    assert (board.paid, board.remaining, board.arrears) == (
        Decimal("150.00"), Decimal("850.00"), Decimal("150.00"))


def test_the_day_an_instalment_is_due_it_is_not_yet_missed():
    _board, row = progress_of([*AGREED, payment("2027-02-15", "150")], "2027-03-15")
    assert [i.state for i in row.instalments] == [Paid.ON_TIME]
    assert row.missed == 0 and not row.in_arrears


def test_a_missed_payment_paid_later_is_marked_late():
    events = [*AGREED, payment("2027-02-15", "150"), payment("2027-03-20", "150")]
    _board, row = progress_of(events, "2027-03-25")
    assert [i.state for i in row.instalments] == [Paid.ON_TIME, Paid.LATE]
    assert (row.missed, row.late, row.agreement.arrears) == (0, 1, Decimal("0.00"))


def test_a_short_payment_is_flagged_with_what_is_missing():
    _board, row = progress_of([*AGREED, payment("2027-02-14", "100")], "2027-02-20")
    [first] = row.instalments
    assert (first.state, first.paid, first.unpaid) == (Paid.SHORT, Decimal("100.00"),
                                                       Decimal("50.00"))
    assert row.short == 1 and row.months_left == 7


def test_paying_ahead_covers_the_next_instalments_on_time():
    _board, row = progress_of([*AGREED, payment("2027-02-10", "450")], "2027-04-20")
    assert [i.state for i in row.instalments] == [Paid.ON_TIME] * 3
    assert row.months_left == 4


def test_paid_in_full_is_completed_with_no_review():
    events = [*AGREED, payment("2027-02-15", "150"), payment("2027-03-01", "850")]
    board, row = progress_of(events, "2027-03-02")
    assert row.completed and row.months_left == 0 and row.review_on is None
    assert (board.paid, board.remaining, board.monthly) == (
        Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_only_the_latest_instalments_are_listed_but_all_are_counted():
    events = [sent("2027-01-05"), accepted("2027-01-20", "10", "2027-02-15")]
    _board, row = progress_of(events, "2029-02-20")
    assert row.due_count == 25 and row.missed == 25
    assert [i.number for i in row.instalments] == list(range(14, 26))


@pytest.mark.parametrize(("first", "today", "expected"), [
    ("2027-02-15", "2027-03-01", "2028-02-15"),   # 12 months after the first payment
    ("2027-02-15", "2028-02-15", "2028-02-15"),   # on the day itself
    ("2027-02-15", "2028-02-16", "2029-02-15"),   # then yearly
    ("2027-01-31", "2027-06-01", "2028-01-31"),
    ("2028-02-29", "2028-03-01", "2029-02-28"),   # a leap day falls on the month's end
    ("2027-02-15", "2026-12-01", "2028-02-15"),   # agreed before the first payment
])
def test_the_annual_review_falls_twelve_months_after_the_first_payment_then_yearly(
        first, today, expected):
    events = [sent("2026-11-01"), accepted("2026-11-20", "10", first)]
    assert review_on(_agreement(events, today), D(today)) == D(expected)


def test_no_review_when_the_agreement_ends_before_it():
    # 1000 at 150: the last payment is 6 months after the first
    assert review_on(_agreement(AGREED, "2027-03-01"), D("2027-03-01")) is None


def test_an_agreement_running_late_past_its_end_is_still_reviewed():
    assert review_on(_agreement(AGREED, "2028-03-01"), D("2028-03-01")) == D("2029-02-15")


def _agreement(events, today):
    case = parse_case(case_file([debt("a", "1000")],
                                negotiations=[{"debt_id": "a", "events": events}]))
    return creditor_statuses(case, D(today))[0].agreement


def test_the_status_document_is_unchanged_by_progress():
    """Progress is read beside parley-status/1, never added to it."""
    case = parse_case(case_file([debt("a", "1000")],
                                negotiations=[{"debt_id": "a", "events": AGREED}]))
    [row] = make_status(case, D("2027-03-01"))["creditors"]
    assert set(row) == {"debt_id", "creditor", "status", "next_action", "due", "overdue",
                        "reply_by", "agreed_monthly", "agreed_total", "paid", "arrears",
                        "remaining", "next_payment", "replan"}


# --- properties --------------------------------------------------------------------

@st.composite
def agreements_with_payments(draw):
    monthly = Decimal(draw(st.integers(1, 30_000))) / 100
    total = Decimal(draw(st.integers(1, 500_000))) / 100
    first = D("2027-01-31") if draw(st.booleans()) else D("2027-01-01").replace(
        day=draw(st.integers(1, 28)))
    gaps = draw(st.lists(st.integers(0, 70), max_size=10))
    amounts = draw(st.lists(st.integers(1, 60_000), min_size=len(gaps), max_size=len(gaps)))
    today_offset = draw(st.integers(-30, 1500))
    return monthly, total, first, gaps, amounts, today_offset


@given(agreements_with_payments())
@settings(max_examples=200, deadline=None)
def test_progress_always_adds_up_to_the_status(args):
    monthly, total, first, gaps, amounts, offset = args
    assume(total <= monthly * MAX_AGREED_PAYMENTS)  # what the case-file parser lets through
    day, payments = first, []
    for gap, amount in zip(gaps, amounts, strict=True):
        day = day.fromordinal(day.toordinal() + gap)
        payments.append(Event(on=day, type="payment", amount=Decimal(amount) / 100))
    today = first.fromordinal(first.toordinal() + offset)
    payments = [p for p in payments if p.on <= today]
    accepted_event = Event(on=first, type="accepted", monthly=monthly, first_payment=first,
                           total=total)
    a = agreement_on(accepted_event, [p.amount for p in payments], Decimal(0), today)
    state = CreditorStatus(Debt("a", "A", DebtKind.CREDIT_CARD, total, ZERO, ZERO),
                           Status.AGREEMENT_ACTIVE, NextAction.PAY, None, False, None, a)
    row = agreement_progress(state, payments, today, keep=10_000)
    assert sum((i.unpaid for i in row.instalments), Decimal(0)) == a.arrears
    assert row.missed + row.short + row.late <= row.due_count == len(row.instalments)
    assert 0 <= row.months_left <= a.payments
    assert (row.months_left == 0) == (a.paid >= a.total)
    assert all(Decimal(0) <= i.paid <= i.amount for i in row.instalments)
    if row.review_on is not None:
        assert row.review_on >= today
