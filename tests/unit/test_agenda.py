"""What is due when: reminder items and calendar items from the statuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.unit.record_builders import accepted, case_file, debt, event, payment, sent
from webapp.domain.agenda import calendar_items, reminders_due
from webapp.domain.casefile import parse_case
from webapp.domain.status import creditor_statuses

D = date.fromisoformat


def states(negotiations, today: str, debts=None):
    return creditor_statuses(parse_case(case_file(debts, negotiations=negotiations)), D(today))


def test_a_schedule_from_the_31st_lands_on_the_last_day_of_short_months():
    s = states([{"debt_id": "a", "events": [
        sent("2027-01-01"), accepted("2027-01-10", "100.00", "2027-01-31")]}], "2027-01-20")
    days = [i.due for i in calendar_items(s, D("2027-01-20")) if i.debt_id == "a"]
    assert days[:5] == [D("2027-01-31"), D("2027-02-28"), D("2027-03-31"), D("2027-04-30"),
                        D("2027-05-31")]
    # 1000 at 100 a month: ten payments, then nothing
    assert len(days) == 10


def test_the_calendar_starts_at_the_first_payment_not_fully_paid():
    s = states([{"debt_id": "a", "events": [
        sent("2027-01-01"), accepted("2027-01-10", "300.00", "2027-01-31"),
        payment("2027-01-31", "300.00"), payment("2027-02-20", "100.00")]}], "2027-03-01")
    items = [i for i in calendar_items(s, D("2027-03-01")) if i.debt_id == "a"]
    assert [(i.due, i.amount) for i in items] == [
        (D("2027-02-28"), Decimal("200.00")), (D("2027-03-31"), Decimal("300.00")),
        (D("2027-04-30"), Decimal("100.00"))]
    assert items[0].overdue and not items[1].overdue


def test_the_calendar_caps_an_agreement_at_24_payments():
    s = states([{"debt_id": "c", "events": [
        sent("2027-01-01"), accepted("2027-01-10", "1.00", "2027-02-01")]}], "2027-01-20")
    assert len([i for i in calendar_items(s, D("2027-01-20")) if i.debt_id == "c"]) == 24


def test_a_reply_by_date_and_a_counter_offer_are_calendar_items():
    s = states([{"debt_id": "a", "events": [sent("2027-01-01")]},
                {"debt_id": "b", "events": [sent("2027-01-01"),
                                            event("2027-01-05", "counter_offer",
                                                  monthly="400.00")]}], "2027-01-10")
    items = calendar_items(s, D("2027-01-10"))
    assert [(i.debt_id, i.kind, i.due) for i in items] == [
        ("b", "decide", D("2027-01-19")), ("a", "follow_up", D("2027-01-31"))]


def test_reminders_are_the_overdue_steps_and_those_due_within_the_days():
    negotiations = [
        {"debt_id": "a", "events": [sent("2027-01-01")]},                    # reply by 01-31
        {"debt_id": "b", "events": [sent("2026-11-01")]},                    # no reply: overdue
        {"debt_id": "c", "events": [sent("2027-01-01"),
                                    accepted("2027-01-05", "50.00", "2027-02-10")]},
    ]
    s = states(negotiations, "2027-01-29")
    due = reminders_due(s, D("2027-01-29"), 3)
    assert [(i.debt_id, i.kind, i.due, i.overdue) for i in due] == [
        ("b", "follow_up", D("2026-12-01"), True), ("a", "follow_up", D("2027-01-31"), False)]
    later = reminders_due(s, D("2027-02-08"), 3)
    assert ("c", "payment", D("2027-02-10")) in [i.key for i in later]
    assert next(i for i in later if i.debt_id == "c").amount == Decimal("50.00")


def test_waiting_and_no_reply_name_the_same_follow_up():
    negotiations = [{"debt_id": "a", "events": [sent("2027-01-01")]}]
    before = reminders_due(states(negotiations, "2027-01-30"), D("2027-01-30"), 3)
    after = reminders_due(states(negotiations, "2027-02-02"), D("2027-02-02"), 3)
    assert [i.key for i in before] == [i.key for i in after] == [
        ("a", "follow_up", D("2027-01-31"))]


def test_nothing_sent_and_nothing_owed_give_no_reminder():
    s = states([{"debt_id": "a", "events": [
        sent("2027-01-01"), accepted("2027-01-10", "1000.00", "2027-01-31"),
        payment("2027-01-31", "1000.00")]}], "2027-02-01", debts=[debt("a", "1000")])
    assert reminders_due(s, D("2027-02-01"), 30) == []
    assert calendar_items(s, D("2027-02-01")) == []


def test_each_running_agreement_has_its_next_annual_review():
    from webapp.domain.agenda import review_items, reviews_due

    s = states([
        {"debt_id": "a", "events": [sent("2027-01-01"),
                                    accepted("2027-01-10", "100.00", "2027-01-31")]},
        {"debt_id": "c", "events": [sent("2027-01-01"),
                                    accepted("2027-01-10", "100.00", "2027-01-31")]}],
        "2027-03-01")
    # a (1000 at 100) ends in October, before a year is out: no review; c (6000) a year on
    [item] = review_items(s, D("2027-03-01"))
    assert (item.debt_id, item.kind, item.due, item.amount) == ("c", "review",
                                                                D("2028-01-31"), None)
    assert reviews_due(s, D("2028-01-20"), 10) == []
    assert [i.debt_id for i in reviews_due(s, D("2028-01-20"), 11)] == ["a", "c"]
    # (by then a is past its end and still owing: it is reviewed too)


def test_a_paid_agreement_is_not_reviewed():
    from webapp.domain.agenda import review_items

    s = states([{"debt_id": "c", "events": [
        sent("2027-01-01"), accepted("2027-01-10", "100.00", "2027-01-31"),
        payment("2027-02-01", "6000.00")]}], "2027-03-01")
    assert review_items(s, D("2027-03-01")) == []
