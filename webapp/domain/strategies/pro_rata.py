"""Pro rata: interest frozen, each creditor gets a share of what is available.

Month-1 offers split ``min(available, Σ balances)`` in proportion to balance,
to the cent by largest remainder; a share below ``min_offer`` is raised to it
(or to the whole balance if that is smaller) and the rest is re-shared among
the others. Each month a debt is paid ``min(offer, balance)``; what a clearing
debt no longer needs goes to the others that month, and once a debt is cleared
the offers are re-split over the remaining balances (CASEFILE.md: "money freed
by a cleared debt goes to the others").

``options.pro_rata_basis`` switches what the shares are in proportion to
(DOMAIN.md): ``balance`` (National Debtline, the default) or ``contractual``
(StepChange), each debt's contractual monthly payment. A debt with no
contractual payment is weighted by an estimate of one,
:data:`ESTIMATED_PAYMENT_PERCENT` of its opening balance (StepChange estimates
3-5%; Parley takes the low end). The weights
are fixed at the start, like a contractual payment, and re-used when a cleared
debt's money is re-split; a share is never more than the debt's balance.

Pro rata is for when the contractual payments do not fit: when ``available``
covers them (:func:`~webapp.domain.budget.contractual_payments_fit`) asking a
creditor for a reduction is wrong, and the strategy is infeasible with
``reason_code="contractual_payments_fit"`` (keep the payments; see avalanche).
Money a priority debt frees (its arrears cleared) goes to the others from the
month it is freed: the offers are re-split then. In CN no plan runs past
:data:`~.base.OFFER_TERM_CAPS` (60 months).
"""

from __future__ import annotations

from decimal import Decimal

from ..budget import contractual_payments, contractual_payments_fit, released_by_month
from ..model import Case, Debt, ProRataBasis
from .base import (
    MAX_MONTHS,
    CentSchedule,
    Offer,
    StrategyResult,
    cents_str,
    div_half_up,
    from_cents,
    infeasible,
    month_available,
    needed_monthly,
    nothing_to_plan,
    offer_term_cap,
    over_cap,
    split_cents,
    to_cents,
)

#: A debt with no contractual payment is weighted as if it had one of this
#: percentage of its balance (contractual basis only).
ESTIMATED_PAYMENT_PERCENT = 3


def basis_weights(debts: tuple[Debt, ...], basis: ProRataBasis) -> list[int]:
    """The pro-rata weight of each debt in cents: its balance or its contractual payment.

    On the contractual basis a debt whose contractual payment is 0 weighs
    ``ESTIMATED_PAYMENT_PERCENT`` % of its balance, half-up to the cent.
    """
    balances = [to_cents(d.balance) for d in debts]
    if basis != ProRataBasis.CONTRACTUAL:
        return balances
    return [
        to_cents(d.contractual_payment) or div_half_up(b * ESTIMATED_PAYMENT_PERCENT, 100)
        for d, b in zip(debts, balances, strict=True)
    ]


def pro_rata_offers(
    total: int, balances: list[int], floor: int, weights: list[int] | None = None
) -> list[int]:
    """Split ``total`` cents in proportion to ``weights`` (default: the balances).

    No share is below ``min(floor, balance)`` nor above ``balance``. Needs
    ``total ≥ Σ min(floor, balance)`` and ``total ≤ Σ balances``. With the
    balances as weights no share can exceed its balance, so only the floor
    ever applies (the split of CASEFILE.md); other weights may also cap a
    share at its balance, and what it cannot take goes to the others.
    """
    n = len(balances)
    weights = balances if weights is None else weights
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        left = total - sum(fixed.values())
        if not free:
            # Only reachable with other weights: every debt was capped or floored
            # and cents are left over; they go where there is room (there is,
            # since total ≤ Σ balances).
            out = [fixed[i] for i in range(n)]
            room = [balances[i] - out[i] for i in range(n)]
            for i, e in enumerate(split_cents(max(left, 0), room)):
                out[i] += e
            return out
        shares = split_cents(left, [weights[i] for i in free])
        high = [i for i, s in zip(free, shares, strict=True) if s > balances[i]]
        low = [i for i, s in zip(free, shares, strict=True) if s < min(floor, balances[i])]
        if not high and not low:
            out = [0] * n
            for i, s in zip(free, shares, strict=True):
                out[i] = s
            for i, s in fixed.items():
                out[i] = s
            return out
        # Caps first, since what a capped debt cannot take may lift a low share;
        # but only while the others can still get their floors from what is
        # left. Otherwise the floors go first (a cap at the full balance could
        # leave too little, and the offers would add up to more than the total).
        rest_floors = sum(min(floor, balances[i]) for i in free if i not in high)
        if high and left - sum(balances[i] for i in high) >= rest_floors:
            for i in high:
                fixed[i] = balances[i]
        else:
            for i in low:
                fixed[i] = min(floor, balances[i])


def needed_interest_free(balances: list[int], floor: int) -> dict[int, int]:
    """What a month would need to clear ``balances`` interest-free in 36 and 60 months:
    :func:`~.base.needed_monthly` at 0 %, the one rule every strategy quotes."""
    return needed_monthly(balances, [0] * len(balances), floor)


def pro_rata(case: Case, available: Decimal) -> StrategyResult:
    """The pro-rata plan (interest frozen) for the case's non-priority debts."""
    debts = case.non_priority_debts
    if not debts:
        return nothing_to_plan("pro_rata")
    ids = [d.id for d in debts]
    balances = [to_cents(d.balance) for d in debts]
    basis = ProRataBasis(case.options.pro_rata_basis)
    weights = basis_weights(debts, basis)
    floor = to_cents(case.options.min_offer)
    avail = to_cents(available)
    n = len(debts)
    if contractual_payments_fit(case, available):
        return infeasible(
            "pro_rata",
            f"{cents_str(avail)} a month covers the contractual payments "
            f"({contractual_payments(case)}): keep them instead of asking for a reduction.",
            needed_interest_free(balances, floor),
            reason_code="contractual_payments_fit",
            contractual_total=contractual_payments(case),
        )
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
    offers = pro_rata_offers(min(avail, sum(r)), r, floor, weights)
    first = list(offers)
    avail_at = month_available(avail, released_by_month(case))
    month_avail = avail
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
        now = avail_at(months + 1)
        if now != month_avail:
            # A priority debt's arrears are cleared: its money goes to the
            # others from this month, re-split in proportion.
            month_avail = now
            rest = [r[i] for i in active]
            split = pro_rata_offers(
                min(now, sum(rest)), rest, floor, [weights[i] for i in active]
            )
            for i, o in zip(active, split, strict=True):
                offers[i] = o
        pay = {i: min(offers[i], r[i]) for i in active}
        freed = min(month_avail, sum(r[i] for i in active)) - sum(pay.values())
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
                split = pro_rata_offers(
                    min(month_avail, sum(rest)), rest, floor, [weights[i] for i in active]
                )
                for i, o in zip(active, split, strict=True):
                    offers[i] = o
    extra: dict[str, object] = {
        "basis": basis.value,
        "paid_by_debt": {ids[i]: from_cents(balances[i]) for i in range(n)},
        "months_by_debt": {ids[i]: cleared_in[i] for i in range(n)},
    }
    if months > MAX_MONTHS:
        extra["schedule_truncated"] = True
    cap = offer_term_cap(case.jurisdiction)
    if cap is not None and months > cap:
        return over_cap("pro_rata", months, cap, needed_interest_free(balances, floor))
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

