"""Avalanche and snowball: interest continues, extra money goes to one target.

One simulator serves both; only the target order differs (CASEFILE.md):
avalanche takes the highest APR first, snowball the smallest opening balance
first, ties by input order. Each month, per debt: interest (balance × apr ÷
1200, half-up) is added first; then the contractual payment, capped at the
balance; then what is left of ``available`` goes down the target order.
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Case
from .base import (
    INTEREST_DIVISOR,
    MAX_MONTHS,
    NEEDED_TERMS,
    CentSchedule,
    Offer,
    StrategyResult,
    annuity_cents,
    apr_e4,
    cents_str,
    from_cents,
    infeasible,
    nothing_to_plan,
    to_cents,
)


def needed_annuity(balances: list[int], aprs: list[int]) -> dict[int, int]:
    """The level annuity total that clears every debt in 36 and in 60 months."""
    return {
        m: sum(annuity_cents(b, a, m) for b, a in zip(balances, aprs, strict=True))
        for m in NEEDED_TERMS
    }


def simulate_ordered(case: Case, available: Decimal, name: str, order: list[int]) -> StrategyResult:
    """Run the interest-bearing plan with extra money going to ``order`` (indices)."""
    debts = case.non_priority_debts
    if not debts:
        return nothing_to_plan(name)
    ids = [d.id for d in debts]
    balances = [to_cents(d.balance) for d in debts]
    aprs = [apr_e4(d.apr) for d in debts]
    minimum = [to_cents(d.contractual_payment) for d in debts]
    avail = to_cents(available)
    if avail < sum(minimum) or (avail <= 0 and balances):
        return infeasible(
            name,
            f"{cents_str(avail)} a month does not cover the contractual payments "
            f"({cents_str(sum(minimum))}).",
            needed_annuity(balances, aprs),
            reason_code="below_contractual",
            contractual_total=from_cents(sum(minimum)),
        )
    n = len(debts)
    paid = [0] * n
    cleared_in = [0] * n
    schedule = CentSchedule(case.start_date)
    total_interest = 0
    owed = sum(balances)
    # State of the debts still owing, as aligned lists in input order: list
    # comprehensions over them are the fastest exact way to run a month in
    # pure Python. ``targets`` holds positions in these lists, in target order.
    active = [i for i in range(n) if balances[i] > 0]
    ra = [balances[i] for i in active]
    aa = [aprs[i] for i in active]
    ma = [minimum[i] for i in active]
    pa = [0] * len(active)
    rank = {i: k for k, i in enumerate(order)}
    targets = sorted(range(len(active)), key=lambda k: rank[active[k]])
    act_ids = tuple(ids[i] for i in active)
    half, two_div = INTEREST_DIVISOR, 2 * INTEREST_DIVISOR
    month = 0
    while active and month < MAX_MONTHS:
        if owed > (MAX_MONTHS - month) * avail:
            # Even with no more interest the months left could not pay it all:
            # stop now instead of simulating a hopeless half-century.
            break
        month += 1
        interest = [(2 * b * a + half) // two_div for b, a in zip(ra, aa, strict=True)]
        ra = [b + i for b, i in zip(ra, interest, strict=True)]
        pays = [m if m < b else b for m, b in zip(ma, ra, strict=True)]
        month_interest = sum(interest)
        total_interest += month_interest
        rest = avail - sum(pays)
        for k in targets:  # the first target usually takes it all
            if rest <= 0:
                break
            room = ra[k] - pays[k]
            if room > 0:
                extra = room if room < rest else rest
                pays[k] += extra
                rest -= extra
        ra = [b - p for b, p in zip(ra, pays, strict=True)]
        pa = [x + p for x, p in zip(pa, pays, strict=True)]
        owed += month_interest - (avail - rest)
        schedule.add(act_ids, pays, ra, interest)
        if 0 in ra:
            for k, b in enumerate(ra):
                if b == 0:
                    cleared_in[active[k]] = month
                    paid[active[k]] = pa[k]
            keep = [k for k, b in enumerate(ra) if b > 0]
            pos = {k: j for j, k in enumerate(keep)}
            targets = [pos[k] for k in targets if k in pos]
            active = [active[k] for k in keep]
            ra = [ra[k] for k in keep]
            aa = [aa[k] for k in keep]
            ma = [ma[k] for k in keep]
            pa = [pa[k] for k in keep]
            act_ids = tuple(ids[i] for i in active)
    if active:
        return infeasible(
            name,
            f"At {cents_str(avail)} a month the debts are not cleared within {MAX_MONTHS} months.",
            needed_annuity(balances, aprs),
            reason_code="too_long",
        )
    first = (
        dict(zip(schedule.rows[0][0], schedule.rows[0][1], strict=True)) if schedule.rows else {}
    )
    return StrategyResult(
        name,
        True,
        months_to_clear=month,
        total_paid=from_cents(sum(paid)),
        total_interest=from_cents(total_interest),
        offers=[Offer(d.id, d.creditor, monthly=from_cents(first.get(d.id, 0))) for d in debts],
        schedule=schedule,
        extra={
            "order": [ids[i] for i in order],
            "paid_by_debt": {ids[i]: from_cents(paid[i]) for i in range(n)},
            "months_by_debt": {ids[i]: cleared_in[i] for i in range(n)},
        },
    )


def avalanche(case: Case, available: Decimal) -> StrategyResult:
    """Highest APR first (ties: input order)."""
    debts = case.non_priority_debts
    order = sorted(range(len(debts)), key=lambda i: (-debts[i].apr, i))
    return simulate_ordered(case, available, "avalanche", order)


def snowball(case: Case, available: Decimal) -> StrategyResult:
    """Smallest opening balance first (ties: input order)."""
    debts = case.non_priority_debts
    order = sorted(range(len(debts)), key=lambda i: (debts[i].balance, i))
    return simulate_ordered(case, available, "snowball", order)
