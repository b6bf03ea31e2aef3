"""Full and final settlement from a lump sum (CASEFILE.md).

``min(lump_sum, Σ balances)`` is split pro rata to balance by largest
remainder; when the lump sum covers everything each debt is simply paid in
full. The remainder of each balance is what the creditor is asked to write off.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..model import Case
from .base import CentSchedule, Offer, StrategyResult, from_cents, infeasible, split_cents, to_cents
from .pro_rata import needed_interest_free

PERCENT = Decimal("0.01")


def percent_of(part: int, whole: int) -> Decimal:
    """``part`` as a percentage of ``whole``, half-up to two places."""
    if whole == 0:
        return Decimal("0.00")
    return (Decimal(part) * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


def settlement(case: Case, available: Decimal) -> StrategyResult:
    """Offers of a one-off payment to every non-priority creditor."""
    debts = case.non_priority_debts
    balances = [to_cents(d.balance) for d in debts]
    floor = to_cents(case.options.min_offer)
    lump = to_cents(case.lump_sum) if case.lump_sum is not None else 0
    if lump <= 0:
        return infeasible(
            "settlement",
            "There is no lump sum to offer in settlement.",
            needed_interest_free(balances, floor),
            reason_code="no_lump_sum",
        )
    owed = sum(balances)
    total = min(lump, owed)
    amounts = balances if total == owed else split_cents(total, balances)
    schedule = CentSchedule(case.start_date)
    if debts:
        schedule.add(tuple(d.id for d in debts), list(amounts), [0] * len(debts))
    return StrategyResult(
        "settlement",
        True,
        months_to_clear=1 if debts else 0,
        total_paid=from_cents(total),
        total_interest=from_cents(0),
        offers=[
            Offer(d.id, d.creditor, amount=from_cents(a), percent=percent_of(a, b))
            for d, a, b in zip(debts, amounts, balances, strict=True)
        ],
        schedule=schedule,
        extra={
            "lump_sum": from_cents(lump),
            "written_off": from_cents(owed - total),
            "in_full": total == owed,
            "paid_by_debt": {d.id: from_cents(a) for d, a in zip(debts, amounts, strict=True)},
        },
    )
