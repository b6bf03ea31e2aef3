"""Token payments: ``min_offer`` to each creditor while nothing more is possible.

Recommended when ``available < min_offer × number of debts`` (CASEFILE.md); the
arrangement is temporary and reviewed three months after the start (StepChange's
temporary payment plan; FCA CONC 8.8.1R asks for prompt reviews).
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Case
from ..schedule import review_date
from .base import CentSchedule, Offer, StrategyResult, from_cents, to_cents

#: Months until the token arrangement is reviewed.
REVIEW_MONTHS = 3


def token(case: Case, available: Decimal) -> StrategyResult:
    """``min_offer`` (or the whole balance if smaller) to each creditor until review."""
    debts = case.non_priority_debts
    floor = to_cents(case.options.min_offer)
    r = [to_cents(d.balance) for d in debts]
    monthly = [min(floor, b) for b in r]
    schedule = CentSchedule(case.start_date)
    paid = [0] * len(debts)
    for _ in range(REVIEW_MONTHS):
        live = [i for i in range(len(debts)) if r[i] > 0]
        if not live:
            break
        pay = {i: min(monthly[i], r[i]) for i in live}
        for i in live:
            r[i] -= pay[i]
            paid[i] += pay[i]
        schedule.add(tuple(debts[i].id for i in live), [pay[i] for i in live], [r[i] for i in live])
    return StrategyResult(
        "token",
        True,
        months_to_clear=None,
        total_paid=from_cents(sum(paid)),
        total_interest=from_cents(0),
        offers=[
            Offer(d.id, d.creditor, monthly=from_cents(m))
            for d, m in zip(debts, monthly, strict=True)
        ],
        schedule=schedule,
        review_date=review_date(case.start_date, REVIEW_MONTHS),
        extra={
            "recommended": to_cents(available) < floor * len(debts),
            "paid_by_debt": {d.id: from_cents(p) for d, p in zip(debts, paid, strict=True)},
        },
    )
