"""Where every negotiation stands on a given day (``parley-status/1``).

A pure function of the case file and ``today`` (``shared/CASEFILE.md``): for
each creditor the status a person sees, the next action and its due date, the
agreed schedule's figures (paid, arrears, remaining, the next payment) and,
for a counter-offer, the re-plan that shows what accepting it would do to the
budget and to every other creditor; plus the contacts that break the
collection rules of the case's jurisdiction (:mod:`webapp.domain.contacts`).

An agreement's schedule is never listed payment by payment here: its figures
are worked out arithmetically (payment ``k`` is ``monthly`` on
``first_payment + k months``, the last one the rest of the total), so a token
agreement of 1.00 a month on a large balance costs no more than any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

from .budget import summarise
from .contacts import breaches
from .errors import FieldError, ValidationError
from .model import Case, Debt, Event, NegotiationRecord
from .money import ZERO, cents
from .negotiation import INITIAL, EventType, NegotiationStatus, apply
from .replan import split_the_rest
from .schedule import payment_date
from .strategies.base import from_cents, to_cents

STATUS_FORMAT = "parley-status/1"
#: Days a creditor's request, refusal or counter-offer gives the borrower to act.
ANSWER_DAYS = 14


class Status(StrEnum):
    """What a person sees for one creditor on a given day."""

    #: nothing sent yet
    NOT_CONTACTED = "not_contacted"
    #: a letter went out and the reply-by date has not passed
    AWAITING_REPLY = "awaiting_reply"
    #: the reply-by date passed without an answer
    NO_REPLY = "no_reply"
    #: the creditor asked for information
    INFO_REQUESTED = "info_requested"
    #: the creditor refused
    REJECTED = "rejected"
    #: the creditor asked for another amount
    COUNTER_OFFER = "counter_offer"
    #: an agreement runs and its payments are up to date
    AGREEMENT_ACTIVE = "agreement_active"
    #: an agreement runs and payments due before today are missing
    IN_ARREARS = "in_arrears"
    #: the agreed total is paid
    COMPLETED = "completed"


class NextAction(StrEnum):
    #: write to the creditor (nothing sent yet)
    WRITE = "write"
    #: wait for the reply until the reply-by date
    WAIT = "wait"
    #: chase the creditor: no answer by the reply-by date
    FOLLOW_UP = "follow_up"
    #: send what the creditor asked for
    SEND_INFORMATION = "send_information"
    #: ask the creditor to reconsider the refused offer
    RECONSIDER = "reconsider"
    #: accept, refuse or counter the creditor's figure
    DECIDE = "decide"
    #: pay the next agreed payment
    PAY = "pay"
    #: pay what is overdue under the agreement
    PAY_ARREARS = "pay_arrears"
    #: nothing left to do
    NONE = "none"


@dataclass(frozen=True)
class Agreement:
    """The agreed schedule's figures on a given day (amounts in Decimal)."""

    monthly: Decimal
    total: Decimal
    first_payment: date
    paid: Decimal
    arrears: Decimal
    remaining: Decimal
    #: (date, amount) of the next payment; None once paid in full
    next_payment: tuple[date, Decimal] | None

    @property
    def payments(self) -> int:
        """How many payments the schedule has: ⌈total ÷ monthly⌉."""
        return int((self.total / self.monthly).to_integral_value(ROUND_CEILING))

    def scheduled_through(self, k: int) -> Decimal:
        """The running total of the scheduled payments 0…k."""
        return min(self.monthly * (k + 1), self.total)


@dataclass(frozen=True)
class CreditorStatus:
    debt: Debt
    status: Status
    next_action: NextAction
    due: date | None
    overdue: bool
    reply_by: date | None
    agreement: Agreement | None
    #: the re-plan with this creditor's counter-offer accepted (JSON-ready)
    replan: dict | None = None


def _months_between(start: date, day: date) -> int:
    return (day.year - start.year) * 12 + day.month - start.month


def payments_before(first: date, day: date) -> int:
    """How many monthly dates ``first + k months`` (k ≥ 0) fall before ``day``."""
    if day <= first:
        return 0
    k = _months_between(first, day)  # payment k is in day's month (or first's day is later)
    return k + 1 if payment_date(first, k) < day else k


def agreement_on(accepted: Event, payments: list[Decimal], balance: Decimal,
                 today: date) -> Agreement:
    """The agreement ``accepted`` made, with ``payments`` recorded, on ``today``."""
    monthly = accepted.monthly
    total = accepted.total if accepted.total is not None else balance
    first = accepted.first_payment
    paid = cents(sum(payments, ZERO))
    count = int((total / monthly).to_integral_value(ROUND_CEILING)) if total > 0 else 0
    due_before = min(payments_before(first, today), count)
    scheduled = min(monthly * due_before, total)
    arrears = cents(max(ZERO, scheduled - paid))
    remaining = cents(max(ZERO, total - paid))
    following = None
    if paid < total:
        k = int((paid / monthly).to_integral_value(ROUND_FLOOR))  # first k with Σ₀..k > paid
        following = (payment_date(first, k), cents(min(monthly * (k + 1), total) - paid))
    return Agreement(monthly, total, first, paid, arrears, remaining, following)


def _base(record: NegotiationRecord) -> tuple[NegotiationStatus, list[Event]]:
    status = INITIAL
    for event in record.events:
        status = apply(status, event.type)
    return status, list(record.events)


def _creditor(case: Case, debt: Debt, record: NegotiationRecord | None,
              today: date) -> CreditorStatus:
    events = list(record.events) if record else []
    base, _ = _base(record) if record else (INITIAL, [])
    reply_by = None
    agreement = None
    if base == NegotiationStatus.NOT_CONTACTED:
        status, action, due = Status.NOT_CONTACTED, NextAction.WRITE, None
    elif base == NegotiationStatus.AWAITING_REPLY:
        last_sent = max(e.on for e in events if e.type == EventType.SENT)
        reply_by = last_sent + timedelta(days=case.options.reply_days)
        due = reply_by
        if today <= reply_by:
            status, action = Status.AWAITING_REPLY, NextAction.WAIT
        else:
            status, action = Status.NO_REPLY, NextAction.FOLLOW_UP
    elif base == NegotiationStatus.AGREEMENT_ACTIVE:
        accepted = [e for e in events if e.type == EventType.ACCEPTED][-1]
        payments = [e.amount for e in events if e.type == EventType.PAYMENT]
        agreement = agreement_on(accepted, payments, debt.balance, today)
        due = agreement.next_payment[0] if agreement.next_payment else None
        if agreement.next_payment is None:
            status, action = Status.COMPLETED, NextAction.NONE
        elif agreement.arrears > 0:
            status, action = Status.IN_ARREARS, NextAction.PAY_ARREARS
        else:
            status, action = Status.AGREEMENT_ACTIVE, NextAction.PAY
    else:
        status = Status(base.value)
        action = {Status.INFO_REQUESTED: NextAction.SEND_INFORMATION,
                  Status.REJECTED: NextAction.RECONSIDER,
                  Status.COUNTER_OFFER: NextAction.DECIDE}[status]
        last = [e for e in events if e.type == base.value][-1]
        due = last.on + timedelta(days=ANSWER_DAYS)
    overdue = due is not None and due < today
    return CreditorStatus(debt, status, action, due, overdue, reply_by, agreement)


def counter_replan(case: Case, debt: Debt, monthly: Decimal,
                   states: dict[str, CreditorStatus]) -> dict:
    """The re-plan with ``debt`` locked at the counter-offer's ``monthly``.

    Every non-priority debt with an agreement (active or in arrears) is locked
    at its agreed monthly amount; the other non-priority debts with a balance
    and not completed are re-split pro rata (the case's basis, ``min_offer``
    floor, largest remainder) on ``available`` minus the locked amounts.
    """
    locked: dict[str, int] = {}
    others: list[Debt] = []
    for d in case.debts:
        if d.is_priority:
            continue
        state = states.get(d.id)
        if d.id == debt.id:
            locked[d.id] = to_cents(monthly)
        elif state is not None and state.status in (Status.AGREEMENT_ACTIVE, Status.IN_ARREARS):
            locked[d.id] = to_cents(state.agreement.monthly)
        elif d.balance > 0 and (state is None or state.status != Status.COMPLETED):
            others.append(d)
    avail = to_cents(summarise(case).available)
    shares, short = split_the_rest(case, avail, sum(locked.values()), others)
    split = dict(zip((d.id for d in others), shares, strict=True))
    offers = [
        {"debt_id": d.id, "monthly": str(from_cents(locked.get(d.id, split.get(d.id, 0)))),
         "locked": d.id in locked}
        for d in case.debts if d.id in locked or d.id in split
    ]
    return {"offers": offers, "available": str(from_cents(avail)), "holds": short == 0,
            "shortfall": str(from_cents(short))}


def future_events(case: Case, today: date) -> list[FieldError]:
    """An error at ``negotiations[i].events[j].on`` for every event dated after ``today``:
    a record holds what has happened."""
    return [
        FieldError(f"negotiations[{i}].events[{j}].on",
                   f"is after today ({today.isoformat()}): record what has happened",
                   "after_today")
        for i, record in enumerate(case.negotiations)
        for j, event in enumerate(record.events) if event.on > today
    ]


def creditor_statuses(case: Case, today: date) -> list[CreditorStatus]:
    """Every non-priority debt, and each priority debt with a negotiation, in input order.

    Raises ValidationError at ``negotiations[i].events[j].on`` for an event
    dated after ``today``.
    """
    errors = future_events(case, today)
    if errors:
        raise ValidationError(errors)
    records = {r.debt_id: r for r in case.negotiations}
    states = {
        d.id: _creditor(case, d, records.get(d.id), today)
        for d in case.debts if not d.is_priority or d.id in records
    }
    out = []
    for d in case.debts:
        state = states.get(d.id)
        if state is None:
            continue
        if state.status == Status.COUNTER_OFFER and not d.is_priority:
            counter = [e for e in records[d.id].events if e.type == EventType.COUNTER_OFFER][-1]
            state = CreditorStatus(**{**vars(state),
                                      "replan": counter_replan(case, d, counter.monthly, states)})
        out.append(state)
    return out


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def creditor_json(s: CreditorStatus) -> dict:
    a = s.agreement
    return {
        "debt_id": s.debt.id,
        "creditor": s.debt.creditor,
        "status": s.status.value,
        "next_action": s.next_action.value,
        "due": _iso(s.due),
        "overdue": s.overdue,
        "reply_by": _iso(s.reply_by),
        "agreed_monthly": str(cents(a.monthly)) if a else None,
        "agreed_total": str(cents(a.total)) if a else None,
        "paid": str(a.paid) if a else "0.00",
        "arrears": str(a.arrears) if a else "0.00",
        "remaining": str(a.remaining) if a else None,
        "next_payment": ({"date": a.next_payment[0].isoformat(), "amount": str(a.next_payment[1])}
                         if a and a.next_payment else None),
        "replan": s.replan,
    }


def make_status(case: Case, today: date) -> dict:
    """The ``parley-status/1`` document for ``case`` on ``today`` (JSON-ready)."""
    return {
        "format": STATUS_FORMAT,
        "today": today.isoformat(),
        "creditors": [creditor_json(s) for s in creditor_statuses(case, today)],
        "breaches": [{"contact": i, "rule": rule} for i, rule in breaches(case)],
    }
