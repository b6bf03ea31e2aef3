"""Pro rata: interest frozen, each creditor gets a share of what is available.

Month-1 offers split ``min(available, Σ balances)`` in proportion to balance,
to the cent by largest remainder; a share below ``min_offer`` is raised to it
(or to the whole balance if that is smaller) and the rest is re-shared among
the others. Each month a debt is paid ``min(offer, balance)``; what a clearing
debt no longer needs goes to the others that month, and once a debt is cleared
the offers are re-split over the remaining balances (CASEFILE.md: "money freed
by a cleared debt goes to the others").
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Case
from .base import (
    MAX_MONTHS,
    NEEDED_TERMS,
    CentSchedule,
    Offer,
    StrategyResult,
    cents_str,
    div_up,
    from_cents,
    infeasible,
    nothing_to_plan,
    split_cents,
    to_cents,
)


def pro_rata_offers(total: int, balances: list[int], floor: int) -> list[int]:
    """Split ``total`` cents in proportion to ``balances``, none below ``min(floor, balance)``.

    Needs ``total ≥ Σ min(floor, balance)`` and ``total ≤ Σ balances`` (then no
    share exceeds its balance, because the weights are the balances themselves).
    """
    n = len(balances)
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        shares = split_cents(total - sum(fixed.values()), [balances[i] for i in free])
        low = [i for i, s in zip(free, shares, strict=True) if s < min(floor, balances[i])]
        if not low:
            out = [0] * n
            for i, s in zip(free, shares, strict=True):
                out[i] = s
            for i, s in fixed.items():
                out[i] = s
            return out
        for i in low:
            fixed[i] = min(floor, balances[i])


def needed_interest_free(balances: list[int], floor: int) -> dict[int, int]:
    """Σ balances ÷ months, rounded up, but never less than ``min_offer`` to each."""
    total = sum(balances)
    return {m: max(div_up(total, m), floor * len(balances)) for m in NEEDED_TERMS}


def pro_rata(case: Case, available: Decimal) -> StrategyResult:
    """The pro-rata plan (interest frozen) for the case's non-priority debts."""
    debts = case.non_priority_debts
    if not debts:
        return nothing_to_plan("pro_rata")
    ids = [d.id for d in debts]
    balances = [to_cents(d.balance) for d in debts]
    floor = to_cents(case.options.min_offer)
    avail = to_cents(available)
    n = len(debts)
    if avail < floor * n:
        return infeasible(
            "pro_rata",
            f"{cents_str(avail)} a month is less than the smallest offer "
            f"({cents_str(floor)}) to each of {n} creditors.",
            needed_interest_free(balances, floor),
            reason_code="below_min_offer",
            min_offer_total=from_cents(floor * n),
        )
    r = list(balances)
    offers = pro_rata_offers(min(avail, sum(r)), r, floor)
    first = list(offers)
    schedule = CentSchedule(case.start_date)
    cleared_in = [0] * n
    months = 0
    active = [i for i in range(n) if r[i] > 0]
    while active:
        if months >= MAX_MONTHS:
            # Past the schedule's length only the count matters: skip whole
            # months in which nobody clears (payments are the level offers).
            skip = min((r[i] - 1) // offers[i] for i in active)
            for i in active:
                r[i] -= skip * offers[i]
            months += skip
        pay = {i: min(offers[i], r[i]) for i in active}
        freed = min(avail, sum(r[i] for i in active)) - sum(pay.values())
        if freed > 0:
            # Headroom ≥ freed because the month pays at most Σ balances.
            extra = split_cents(freed, [r[i] - pay[i] for i in active])
            for i, e in zip(active, extra, strict=True):
                pay[i] += e
        for i in active:
            r[i] -= pay[i]
        months += 1
        if months <= MAX_MONTHS:
            schedule.add(
                tuple(ids[i] for i in active), [pay[i] for i in active], [r[i] for i in active]
            )
        if any(r[i] == 0 for i in active):
            for i in active:
                if r[i] == 0:
                    cleared_in[i] = months
            active = [i for i in active if r[i] > 0]
            if active:
                rest = [r[i] for i in active]
                for i, o in zip(
                    active, pro_rata_offers(min(avail, sum(rest)), rest, floor), strict=True
                ):
                    offers[i] = o
    extra: dict[str, object] = {
        "basis": "balance",
        "paid_by_debt": {ids[i]: from_cents(balances[i]) for i in range(n)},
        "months_by_debt": {ids[i]: cleared_in[i] for i in range(n)},
    }
    if months > MAX_MONTHS:
        extra["schedule_truncated"] = True
    return StrategyResult(
        "pro_rata",
        True,
        months_to_clear=months,
        total_paid=from_cents(sum(balances)),
        total_interest=from_cents(0),
        offers=[
            Offer(d.id, d.creditor, monthly=from_cents(o))
            for d, o in zip(debts, first, strict=True)
        ],
        schedule=schedule,
        extra=extra,
    )
