"""What is due when: the dates a reminder or a calendar shows.

A pure function of the creditors' statuses (:mod:`webapp.domain.status`) and
``today``. Two views of the same facts:

* :func:`reminders_due`: each creditor's next step that is overdue or falls due
  within the next ``days`` days (a follow-up, a reply to send, a payment);
* :func:`calendar_items`: every coming agreed payment (at most
  :data:`PAYMENTS_PER_AGREEMENT` per agreement) and every other next step's due date.

and, beside them, :func:`review_items` and :func:`reviews_due`: each running
agreement's next annual review (:func:`webapp.domain.agreements.review_on`).

An item is identified by (debt, kind, due date): the same follow-up reminded
twice is the same item, so it can be sent once and keep its calendar UID. A
creditor who has not answered by the reply-by date is due a follow-up *on*
that date, so "waiting" and "no reply" name the same follow-up item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .agreements import review_on
from .money import cents
from .schedule import payment_date
from .status import CreditorStatus, NextAction, Status

#: How many coming payments of one agreement a calendar lists.
PAYMENTS_PER_AGREEMENT = 24
#: The kind of item each next action gives (WRITE and NONE give none).
KINDS = {
    NextAction.WAIT: "follow_up",
    NextAction.FOLLOW_UP: "follow_up",
    NextAction.SEND_INFORMATION: "send_information",
    NextAction.RECONSIDER: "reconsider",
    NextAction.DECIDE: "decide",
    NextAction.PAY: "payment",
    NextAction.PAY_ARREARS: "payment",
}


@dataclass(frozen=True)
class Item:
    """One dated thing to do for one creditor."""

    debt_id: str
    creditor: str
    #: "payment", "follow_up", "send_information", "reconsider", "decide" or "review"
    kind: str
    due: date
    #: the payment's amount (payments only)
    amount: Decimal | None
    overdue: bool

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.debt_id, self.kind, self.due)


def next_item(state: CreditorStatus, today: date) -> Item | None:
    """The creditor's next dated step, or None (nothing to do, or nothing sent yet)."""
    kind = KINDS.get(state.next_action)
    if kind is None or state.due is None:
        return None
    amount = None
    if kind == "payment" and state.agreement and state.agreement.next_payment:
        amount = state.agreement.next_payment[1]
    return Item(state.debt.id, state.debt.creditor, kind, state.due, amount, state.due < today)


def reminders_due(states: list[CreditorStatus], today: date, days: int) -> list[Item]:
    """The next steps overdue or due from ``today`` to ``today + days``, by date."""
    until = today + timedelta(days=days)
    items = [i for i in (next_item(s, today) for s in states) if i and i.due <= until]
    return sorted(items, key=lambda i: (i.due, i.debt_id))


def calendar_items(states: list[CreditorStatus], today: date,
                   per_agreement: int = PAYMENTS_PER_AGREEMENT) -> list[Item]:
    """Every creditor's next step, and each agreement's coming payments, by date.

    An agreement's payments start at the first one not fully paid (its amount
    is what is left of it) and follow the schedule: payment ``k`` on
    ``first_payment + k months`` (so a schedule from the 31st falls on the last
    day of shorter months), the last one the rest of the total.
    """
    items: list[Item] = []
    for s in states:
        a = s.agreement
        if a is None or a.next_payment is None:
            item = next_item(s, today)
            if item is not None:
                items.append(item)
            continue
        first_due, first_amount = a.next_payment
        k = 0
        while payment_date(a.first_payment, k) < first_due:
            k += 1
        for n in range(per_agreement):
            if k + n >= a.payments:
                break
            day = payment_date(a.first_payment, k + n)
            amount = first_amount if n == 0 else cents(
                a.scheduled_through(k + n) - a.scheduled_through(k + n - 1))
            items.append(Item(s.debt.id, s.debt.creditor, "payment", day, amount, day < today))
    return sorted(items, key=lambda i: (i.due, i.debt_id, i.kind))


def review_items(states: list[CreditorStatus], today: date) -> list[Item]:
    """Each running agreement's next annual review (on or after ``today``), by date."""
    items = []
    for s in states:
        if s.agreement is None or s.status not in (Status.AGREEMENT_ACTIVE, Status.IN_ARREARS):
            continue
        day = review_on(s.agreement, today)
        if day is not None:
            items.append(Item(s.debt.id, s.debt.creditor, "review", day, None, False))
    return sorted(items, key=lambda i: (i.due, i.debt_id))


def reviews_due(states: list[CreditorStatus], today: date, days: int) -> list[Item]:
    """The annual reviews that fall from ``today`` to ``today + days``."""
    until = today + timedelta(days=days)
    return [i for i in review_items(states, today) if i.due <= until]
