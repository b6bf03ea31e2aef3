"""Token payments: a small amount to each creditor while nothing more is possible.

Only when ``available < min_offer × number of debts`` (CASEFILE.md): when the
budget can fund real offers a token payment is not offered at all
(``feasible: false``, ``reason_code="real_offers_fit"``; issue 14.4). The
arrangement is temporary and reviewed three months after the start (StepChange's
temporary payment plan; FCA CONC 8.8.1R asks for prompt reviews).

The amount is ``options.token_offer`` when the case sets one, else
:data:`TOKEN_DEFAULTS` for the jurisdiction (a ¥1 token to a Chinese bank
reads as bad faith: ¥100 there), else ``min_offer``; never more than a balance.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Case
from ..schedule import review_date
from .base import (
    CentSchedule,
    Offer,
    StrategyResult,
    from_cents,
    infeasible,
    needed_monthly,
    to_cents,
)

#: Months until the token arrangement is reviewed.
REVIEW_MONTHS = 3
#: The token payment per creditor when the case sets none, by jurisdiction (in
#: the case's currency). China: a meaningful good-faith amount, since banks
#: read a ¥1 offer as refusing to pay.
TOKEN_DEFAULTS: dict[str, Decimal] = {"CN": Decimal("100")}


def token_amount(case: Case) -> Decimal:
    """The monthly token payment to each creditor (before capping at a balance)."""
    if case.options.token_offer is not None:
        return case.options.token_offer
    return TOKEN_DEFAULTS.get(case.jurisdiction, case.options.min_offer)


def token(case: Case, available: Decimal) -> StrategyResult:
    """``min_offer`` (or the whole balance if smaller) to each creditor until review."""
    debts = case.non_priority_debts
    floor = to_cents(case.options.min_offer)
    if debts and to_cents(available) >= floor * len(debts):
        return infeasible(
            "token",
            "The budget can fund real offers: token payments are only for when it cannot.",
            needed_monthly([to_cents(d.balance) for d in debts], [0] * len(debts), floor),
            reason_code="real_offers_fit",
        )
    amount = to_cents(token_amount(case))
    r = [to_cents(d.balance) for d in debts]
    monthly = [min(amount, b) for b in r]
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
