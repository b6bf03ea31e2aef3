"""The next version of a proposal once a creditor agrees a figure of its own.

When a creditor accepts an amount the current proposal did not offer (its own
counter-offer, or a figure agreed by phone), the proposal changes: that
creditor's offer becomes the agreed figure, every other agreement stays at its
agreed amount, and the other creditors share what is left of ``available``
by the pro-rata rules. That is the counter-offer re-plan of
:func:`webapp.domain.status.counter_replan` (``split_the_rest``), so the new
version offers exactly what the creditor's page showed before the user
accepted.

The result is a strategy object in the shape of ``parley-plan/1`` (what the
letters read), named ``pro_rata`` since the shares are re-split pro rata, with
an empty ``schedule``: each offer carries its own ``first_payment`` (the
agreed one; for the others, the plan's next payment date on or after the day
of the version) and, for an agreement, its ``total``, and a letter works the
instalments out from them. ``replan`` records why the version was made.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal

from .model import Case
from .money import cents
from .schedule import payment_date
from .status import CreditorStatus, Status, counter_replan, creditor_statuses

#: The strategy name of a version made by an agreement (its shares are pro rata).
REVISED_STRATEGY = "pro_rata"


def next_payment_day(start: date, today: date) -> date:
    """The plan's first payment date (``start + k months``) on or after ``today``."""
    if start >= today:
        return start
    k = (today.year - start.year) * 12 + today.month - start.month
    while payment_date(start, k) < today:
        k += 1
    return payment_date(start, k)


def offered_monthly(strategy: dict, debt_id: str) -> Decimal | None:
    """The monthly amount a strategy object offers ``debt_id`` (None: no monthly offer)."""
    row = next((o for o in strategy.get("offers", ()) if o.get("debt_id") == debt_id), None)
    if row is None or row.get("monthly") is None:
        return None
    return Decimal(str(row["monthly"]))


def _count(total: Decimal, monthly: Decimal) -> int:
    return int((total / monthly).to_integral_value(ROUND_CEILING)) if monthly > 0 else 0


def revised_strategy(case: Case, debt_id: str, monthly: Decimal, first_payment: date,
                     today: date, total: Decimal | None = None) -> dict:
    """The proposal's strategy once ``debt_id`` agreed ``monthly`` from ``first_payment``
    (see the module). ``case`` may already hold the agreement or not."""
    states: dict[str, CreditorStatus] = {s.debt.id: s for s in creditor_statuses(case, today)}
    debts = {d.id: d for d in case.debts}
    plan = counter_replan(case, debts[debt_id], monthly, states)
    start = next_payment_day(case.start_date, today)
    offers, months, paid = [], 0, Decimal(0)
    for o in plan["offers"]:
        debt = debts[o["debt_id"]]
        state = states.get(debt.id)
        row = {"debt_id": debt.id, "creditor": debt.creditor, "monthly": o["monthly"]}
        owed, first = debt.balance, start
        if debt.id == debt_id:
            owed, first = total if total is not None else debt.balance, first_payment
            row["agreed"] = True
        elif o["locked"] and state is not None and state.status in (
                Status.AGREEMENT_ACTIVE, Status.IN_ARREARS):
            owed, first = state.agreement.total, state.agreement.first_payment
            row["agreed"] = True
        row["first_payment"] = first.isoformat()
        if owed != debt.balance:
            row["total"] = str(cents(owed))
        offers.append(row)
        months = max(months, _count(owed, Decimal(o["monthly"])))
        paid += owed
    return {
        "name": REVISED_STRATEGY, "feasible": True, "months_to_clear": months,
        "total_paid": str(cents(paid)), "total_interest": "0.00", "offers": offers,
        "basis": str(case.options.pro_rata_basis), "schedule": [],
        "replan": {"debt_id": debt_id, "monthly": str(cents(monthly)),
                   "first_payment": first_payment.isoformat(), "available": plan["available"],
                   "holds": plan["holds"], "shortfall": plan["shortfall"]},
    }
