"""A case on a counselor's caseload: its statuses as dates that today is compared with.

The caseload lists thousands of cases, so it cannot run the status contract
(:mod:`webapp.domain.status`) for each of them on every request. But the
contract's verdicts that depend on today are each one comparison of today with
a date fixed by the record, so a summary computed once per change of the case
holds for every later day:

* a letter out: ``awaiting_reply`` while today ≤ reply-by, then ``no_reply``;
* an agreement: its next payment date depends on what was paid, not on today,
  and there are arrears exactly when that date is before today (the first
  scheduled payment not covered is then due before today), so it is
  ``in_arrears`` when next payment < today, else ``agreement_active``;
* a request, refusal or counter-offer: due 14 days after it, overdue after that;
* not contacted and completed: the same every day.

So a :class:`Row` keeps each creditor's *base* (one of :data:`BASES`) and due
date, :func:`project` gives the contract's status on any day from it, and the
caseload's SQL filters compare the earliest dates with today the same way
(:func:`summary_dates`). ``tests/unit/test_caseload_domain.py`` checks
:func:`project` against :func:`webapp.domain.status.creditor_statuses` day by day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .status import CreditorStatus, NextAction, Status

#: Statuses shown first after the overdue ones (the case page's order).
URGENT = (Status.IN_ARREARS, Status.NO_REPLY, Status.COUNTER_OFFER, Status.REJECTED,
          Status.INFO_REQUESTED)
#: Days before an annual review that the caseload lists it as due.
REVIEW_NOTICE_DAYS = 30

#: A creditor's state that today does not change (see the module).
BASES = ("not_contacted", "awaiting", "info_requested", "rejected", "counter_offer",
         "agreement", "completed")
_FIXED = {
    "info_requested": (Status.INFO_REQUESTED, NextAction.SEND_INFORMATION),
    "rejected": (Status.REJECTED, NextAction.RECONSIDER),
    "counter_offer": (Status.COUNTER_OFFER, NextAction.DECIDE),
}


@dataclass(frozen=True)
class Row:
    """One creditor of a case, as stored in the case's summary."""

    creditor: str
    base: str
    due: date | None

    def to_json(self) -> dict:
        return {"creditor": self.creditor, "base": self.base,
                "due": self.due.isoformat() if self.due else None}

    @classmethod
    def from_json(cls, data: dict) -> Row:
        due = data.get("due")
        return cls(data["creditor"], data["base"], date.fromisoformat(due) if due else None)


@dataclass(frozen=True)
class Line:
    """A creditor's status on a day, as the status contract gives it."""

    creditor: str
    status: Status
    next_action: NextAction
    due: date | None
    overdue: bool


def row_for(state: CreditorStatus) -> Row:
    """The row that :func:`project` turns back into ``state`` on any later day."""
    s = state.status
    if s == Status.NOT_CONTACTED:
        base, due = "not_contacted", None
    elif s in (Status.AWAITING_REPLY, Status.NO_REPLY):
        base, due = "awaiting", state.reply_by
    elif s in (Status.AGREEMENT_ACTIVE, Status.IN_ARREARS):
        base, due = "agreement", state.due
    elif s == Status.COMPLETED:
        base, due = "completed", None
    else:
        base, due = s.value, state.due
    return Row(state.debt.creditor, base, due)


def project(row: Row, day: date) -> Line:
    """The creditor's status, next action, due date and overdue flag on ``day``."""
    due = row.due
    if row.base == "not_contacted":
        status, action = Status.NOT_CONTACTED, NextAction.WRITE
    elif row.base == "completed":
        status, action = Status.COMPLETED, NextAction.NONE
    elif row.base == "awaiting":
        status, action = ((Status.AWAITING_REPLY, NextAction.WAIT) if day <= due
                          else (Status.NO_REPLY, NextAction.FOLLOW_UP))
    elif row.base == "agreement":
        status, action = ((Status.IN_ARREARS, NextAction.PAY_ARREARS) if due < day
                          else (Status.AGREEMENT_ACTIVE, NextAction.PAY))
    else:
        status, action = _FIXED[row.base]
    return Line(row.creditor, status, action, due, due is not None and due < day)


def lines(rows: list[Row], day: date) -> list[Line]:
    """Every creditor's line on ``day``: overdue first, then the urgent statuses,
    then the rest, each group in the case's order (the case page's order)."""
    order = {s: i for i, s in enumerate(URGENT)}
    out = [project(r, day) for r in rows]
    out.sort(key=lambda line: (not line.overdue, order.get(line.status, len(URGENT))))
    return out


def next_line(rows: list[Row], day: date) -> Line | None:
    """The case's next action: the first line that asks for one, else the first."""
    ordered = lines(rows, day)
    return next((x for x in ordered if x.next_action != NextAction.NONE),
                ordered[0] if ordered else None)


@dataclass(frozen=True)
class Dates:
    """The earliest dates the caseload compares with today (None: no such creditor)."""

    #: any creditor's due date: overdue when before today
    next_due: date | None
    #: a letter not answered: awaiting a reply (late when before today)
    reply_by: date | None
    #: a running agreement's next payment: in arrears when before today
    payment_due: date | None


def summary_dates(rows: list[Row]) -> Dates:
    def earliest(bases: tuple[str, ...]) -> date | None:
        return min((r.due for r in rows if r.due is not None and r.base in bases),
                   default=None)

    return Dates(earliest(BASES), earliest(("awaiting",)), earliest(("agreement",)))
