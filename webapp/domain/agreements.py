"""Agreements: how each one is going, and when it is reviewed (issue 8).

A pure function of the case file and ``today``, beside the status of
:mod:`webapp.domain.status` (which it reads, and never changes: none of this is
part of ``parley-status/1``).

* **Progress** of each agreement: paid, remaining, arrears, how many payments
  are left and when the last one falls, and each instalment due before today
  marked paid on time, paid late, short or missed.
* **Annual review**: an arrangement is reviewed at least once a year (FCA CONC
  8.8, shared/DOMAIN.md "Review"). The first review falls 12 months after the
  agreement's first payment, then every 12 months (relativedelta from the
  first payment, so a schedule from the 31st is reviewed on month ends).
  :func:`review_on` gives the next one on or after ``today``, while the
  agreement runs; none once it is paid, or when it ends before then.

Payments are applied to the instalments in order (a running total), the way
the contract counts arrears: instalment ``k`` is paid once the payments reach
the scheduled total through ``k``. So the unpaid parts of the instalments due
before today add up to the status's ``arrears`` exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .model import Case, Event
from .money import ZERO, cents
from .negotiation import EventType
from .schedule import payment_date
from .status import Agreement, CreditorStatus, Status, payments_before

#: Months between two reviews of an agreement.
REVIEW_MONTHS = 12
#: How many of the latest instalments due a page lists (all are counted).
KEEP_INSTALMENTS = 12


class Paid(StrEnum):
    """How an instalment due before today was paid."""

    #: paid in full by its due date
    ON_TIME = "on_time"
    #: paid in full, but after its due date
    LATE = "late"
    #: only part of it is paid
    SHORT = "short"
    #: nothing is paid towards it
    MISSED = "missed"


@dataclass(frozen=True)
class Instalment:
    """One scheduled payment due before today, and what was paid towards it."""

    #: 1 for the first payment of the schedule
    number: int
    due: date
    amount: Decimal
    #: paid towards it so far (payments are applied in order)
    paid: Decimal
    state: Paid

    @property
    def unpaid(self) -> Decimal:
        return cents(self.amount - self.paid)


@dataclass(frozen=True)
class Progress:
    """One agreement on a given day."""

    debt_id: str
    creditor: str
    agreement: Agreement
    #: scheduled payments not yet paid in full
    months_left: int
    #: the date of the schedule's last payment
    ends_on: date
    #: the next annual review (None: paid, or it ends before the next one)
    review_on: date | None
    #: the latest instalments due before today (at most KEEP_INSTALMENTS), oldest first
    instalments: tuple[Instalment, ...]
    #: how many instalments due before today there are, and how many were missed,
    #: short or paid late (all of them, not only those listed)
    due_count: int
    missed: int
    short: int
    late: int

    @property
    def completed(self) -> bool:
        return self.agreement.next_payment is None

    @property
    def in_arrears(self) -> bool:
        return self.agreement.arrears > 0


@dataclass(frozen=True)
class CaseProgress:
    """Every agreement of the case, and the totals."""

    rows: tuple[Progress, ...]

    def _sum(self, name: str) -> Decimal:
        return cents(sum((getattr(r.agreement, name) for r in self.rows), ZERO))

    @property
    def total(self) -> Decimal:
        return self._sum("total")

    @property
    def paid(self) -> Decimal:
        return cents(sum((min(r.agreement.paid, r.agreement.total) for r in self.rows), ZERO))

    @property
    def remaining(self) -> Decimal:
        return self._sum("remaining")

    @property
    def arrears(self) -> Decimal:
        return self._sum("arrears")

    @property
    def monthly(self) -> Decimal:
        """What the agreements still running ask for each month."""
        return cents(sum((r.agreement.monthly for r in self.rows if not r.completed), ZERO))

    @property
    def months_left(self) -> int:
        """Until the last agreement is paid, if every payment is made as scheduled."""
        return max((r.months_left for r in self.rows), default=0)

    @property
    def next_review(self) -> date | None:
        return min((r.review_on for r in self.rows if r.review_on), default=None)


def covered(agreement: Agreement, paid: Decimal) -> int:
    """How many scheduled payments ``paid`` covers in full (payments in order)."""
    if paid >= agreement.total:
        return agreement.payments
    return int(paid // agreement.monthly)


def review_on(agreement: Agreement, today: date) -> date | None:
    """The next annual review on or after ``today`` (see the module), or None."""
    if agreement.next_payment is None:
        return None
    first = agreement.first_payment
    months = (today.year - first.year) * 12 + today.month - first.month
    k = max(1, months // REVIEW_MONTHS)
    while payment_date(first, REVIEW_MONTHS * k) < today:
        k += 1
    review = payment_date(first, REVIEW_MONTHS * k)
    ends = payment_date(first, agreement.payments - 1)
    if ends < review and ends >= today:
        return None  # the schedule ends before the review falls due
    return review


def _instalments(agreement: Agreement, payments: list[Event], today: date,
                 keep: int) -> tuple[list[Instalment], int, dict[Paid, int]]:
    """The instalments due before today, with how each was paid."""
    due = min(payments_before(agreement.first_payment, today), agreement.payments)
    counts = dict.fromkeys(Paid, 0)
    listed: list[Instalment] = []
    total_paid = agreement.paid
    by_then, i = ZERO, 0  # payments made on or before the instalment's date
    for k in range(due):
        day = payment_date(agreement.first_payment, k)
        while i < len(payments) and payments[i].on <= day:
            by_then += payments[i].amount
            i += 1
        before = agreement.scheduled_through(k - 1) if k else ZERO
        amount = agreement.scheduled_through(k) - before
        now = min(max(total_paid - before, ZERO), amount)
        then = min(max(by_then - before, ZERO), amount)
        if now == amount:
            state = Paid.ON_TIME if then == amount else Paid.LATE
        else:
            state = Paid.SHORT if now > 0 else Paid.MISSED
        counts[state] += 1
        if k >= due - keep:
            listed.append(Instalment(k + 1, day, cents(amount), cents(now), state))
    return listed, due, counts


def agreement_progress(state: CreditorStatus, events: tuple[Event, ...] | list[Event],
                       today: date, keep: int = KEEP_INSTALMENTS) -> Progress | None:
    """The progress of ``state``'s agreement, its payments taken from ``events``
    (the debt's record); None when the creditor has no agreement."""
    a = state.agreement
    if a is None:
        return None
    payments = [e for e in events if e.type == EventType.PAYMENT]
    listed, due, counts = _instalments(a, payments, today, keep)
    return Progress(
        state.debt.id, state.debt.creditor, a, a.payments - covered(a, a.paid),
        payment_date(a.first_payment, a.payments - 1), review_on(a, today), tuple(listed),
        due, counts[Paid.MISSED], counts[Paid.SHORT], counts[Paid.LATE])


def case_progress(case: Case, states: list[CreditorStatus], today: date,
                  keep: int = KEEP_INSTALMENTS) -> CaseProgress:
    """Every agreement of ``case`` (``states`` from ``creditor_statuses``), in input order."""
    records = {r.debt_id: r.events for r in case.negotiations}
    rows = []
    for state in states:
        if state.agreement is None or state.status not in (
                Status.AGREEMENT_ACTIVE, Status.IN_ARREARS, Status.COMPLETED):
            continue
        rows.append(agreement_progress(state, records.get(state.debt.id, ()), today, keep))
    return CaseProgress(tuple(rows))
