"""Avalanche and snowball: interest continues, extra money goes to one target.

One simulator serves both; only the target order differs (CASEFILE.md):
avalanche takes the highest APR first, snowball the smallest opening balance
first, ties by input order. Each month, per debt: interest (balance × apr ÷
1200, half-up) is added first; then the contractual payment, capped at the
balance; then what is left of ``available`` goes down the target order.
Money a priority debt frees (its arrears cleared) joins ``available`` from the
month it is freed. In CN a plan longer than 60 months is not offered
(:data:`~.base.OFFER_TERM_CAPS`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from itertools import compress
from operator import add, mul, sub

from ..budget import released_by_month
from ..model import Case, Debt
from .base import (
    INTEREST_DIVISOR,
    MAX_MONTHS,
    CentSchedule,
    Offer,
    StrategyResult,
    apr_e4,
    cents_str,
    from_cents,
    infeasible,
    month_available,
    needed_monthly,
    nothing_to_plan,
    offer_term_cap,
    over_cap,
    to_cents,
)


def needed_annuity(balances: list[int], aprs: list[int], floor: int = 0) -> dict[int, int]:
    """The level annuity total that clears every debt in 36 and in 60 months
    (:func:`~.base.needed_monthly`, the one rule)."""
    return needed_monthly(balances, aprs, floor)


#: ``Decimal(v) * _CENT`` is ``from_cents(v)``: the same value and exponent,
#: rounded alike in any context, and quicker than ``scaleb``.
_CENT = Decimal("0.01")


def _scaled_ints(values: list[Decimal], places: int, slow: Callable[[Decimal], int]) -> list[int]:
    """``[slow(v) for v in values]`` for ``to_cents`` (2) or ``apr_e4`` (4), inlining
    their common case: a value with no more than ``places`` decimals."""
    try:
        return [
            whole if whole == scaled else slow(v)
            for v in values
            for scaled in (v.scaleb(places),)
            for whole in (int(scaled),)
        ]
    except AttributeError:  # not Decimal: the general path
        return [slow(v) for v in values]


def simulate_ordered(case: Case, available: Decimal, name: str, order: list[int]) -> StrategyResult:
    """Run the interest-bearing plan with extra money going to ``order`` (indices)."""
    return _simulate(case.non_priority_debts, case, available, name, order)


def _simulate(
    debts: tuple[Debt, ...], case: Case, available: Decimal, name: str, order: list[int]
) -> StrategyResult:
    if not debts:
        return nothing_to_plan(name)
    ids = [d.id for d in debts]
    balances = _scaled_ints([d.balance for d in debts], 2, to_cents)
    aprs = _scaled_ints([d.apr for d in debts], 4, apr_e4)
    minimum = _scaled_ints([d.contractual_payment for d in debts], 2, to_cents)
    avail = to_cents(available)
    floor = to_cents(case.options.min_offer)
    if avail < sum(minimum) or (avail <= 0 and balances):
        return infeasible(
            name,
            f"{cents_str(avail)} a month does not cover the contractual payments "
            f"({cents_str(sum(minimum))}).",
            needed_annuity(balances, aprs, floor),
            reason_code="below_contractual",
            contractual_total=from_cents(sum(minimum)),
        )
    n = len(debts)
    paid = [0] * n
    cleared_in = [0] * n
    # Extra money a debt got in months it did not clear. A debt that does not
    # clear in a month pays its whole contractual payment that month (the
    # payment is only capped when the balance is at most the payment, which
    # clears it), so what a debt clearing in month t paid in all is
    # ``minimum × (t − 1) + extra + its payment in month t``.
    extra_paid = [0] * n
    schedule = CentSchedule(case.start_date)
    add_row = schedule.rows.append  # what CentSchedule.add does, minus a call
    total_interest = 0
    owed = sum(balances)
    # The debts still owing, as aligned lists in input order (input indices,
    # balances, APRs, contractual payments). A month is a handful of
    # whole-list passes, C-level ``map`` wherever the step is one operator; a
    # month in which debts clear drops them from every list (``del`` for a few,
    # else ``compress``: balances are never negative, so they are the mask).
    active = [i for i in range(n) if balances[i] > 0]
    ra = [balances[i] for i in active]
    aa = [aprs[i] for i in active]
    ma = [minimum[i] for i in active]
    act_ids = tuple(ids[i] for i in active)
    # Input indices in target order; a debt leaves when it clears.
    targets = [i for i in order if balances[i] > 0]
    # Interest is ``(2·b·apr + D) // 2D`` (b·apr ÷ D, half-up); D is even, so
    # that is ``(b·apr + D/2) // D`` exactly.
    half, div = INTEREST_DIVISOR // 2, INTEREST_DIVISOR
    month = 0
    released = released_by_month(case)
    avail_at = month_available(avail, released)
    most = avail + released[-1]  # released only grows: the most any month has
    while active and month < MAX_MONTHS:
        if owed > (MAX_MONTHS - month) * most:
            # Even with no more interest the months left could not pay it all:
            # stop now instead of simulating a hopeless half-century.
            break
        month += 1
        month_avail = avail_at(month) if released[-1] else avail
        interest = [(x + half) // div for x in map(mul, ra, aa)]
        month_interest = sum(interest)
        # What each debt owes after interest and its contractual payment.
        left = list(map(sub, map(add, ra, interest), ma))
        if min(left) >= 0:  # the usual month: every contractual payment is paid in full
            pays = ma[:]
        else:  # some debt owes less than its payment: it pays its balance
            ra = list(map(add, ra, interest))
            pays = [m if m < b else b for m, b in zip(ma, ra, strict=False)]
            left = list(map(sub, ra, pays))
        rest = month_avail - sum(pays)
        for i in targets:  # the first target usually takes it all
            if rest <= 0:
                break
            k = active.index(i)
            room = left[k]
            if room > rest:  # takes the rest and still owes: the last target this month
                pays[k] += rest
                left[k] = room - rest
                extra_paid[i] += rest
                rest = 0
            elif room > 0:  # cleared
                pays[k] += room
                left[k] = 0
                rest -= room
        total_interest += month_interest
        owed += month_interest - (month_avail - rest)
        add_row((act_ids, pays, left, interest))
        ra = left
        if 0 in ra:
            gone = []
            k = -1
            paid_before = month - 1
            for _ in range(ra.count(0)):
                k = ra.index(0, k + 1)
                gone.append(k)
                i = active[k]
                cleared_in[i] = month
                paid[i] = minimum[i] * paid_before + extra_paid[i] + pays[k]
                targets.remove(i)
            act_ids = tuple(compress(act_ids, ra))
            if len(gone) > 4:
                active = list(compress(active, ra))
                aa = list(compress(aa, ra))
                ma = list(compress(ma, ra))
                ra = list(compress(ra, ra))
            else:  # a few clear (the usual case): delete in place, last first
                ra = ra[:]  # the schedule row keeps ``left``
                for k in reversed(gone):
                    del active[k], aa[k], ma[k], ra[k]
    if active:
        return infeasible(
            name,
            f"At {cents_str(avail)} a month the debts are not cleared within {MAX_MONTHS} months.",
            needed_annuity(balances, aprs, floor),
            reason_code="too_long",
        )
    cap = offer_term_cap(case.jurisdiction)
    if cap is not None and month > cap:
        return over_cap(name, month, cap, needed_annuity(balances, aprs, floor))
    first = (
        dict(zip(schedule.rows[0][0], schedule.rows[0][1], strict=True)) if schedule.rows else {}
    )
    return StrategyResult(
        name,
        True,
        months_to_clear=month,
        total_paid=from_cents(sum(paid)),
        total_interest=from_cents(total_interest),
        # ``monthly`` is Offer's third field; passing it by position is quicker.
        offers=[Offer(d.id, d.creditor, Decimal(first.get(d.id, 0)) * _CENT) for d in debts],
        schedule=schedule,
        extra={
            "order": [ids[i] for i in order],
            "paid_by_debt": {i: Decimal(p) * _CENT for i, p in zip(ids, paid, strict=True)},
            "months_by_debt": {ids[i]: cleared_in[i] for i in range(n)},
        },
    )


def avalanche(case: Case, available: Decimal) -> StrategyResult:
    """Highest APR first (ties: input order)."""
    debts = case.non_priority_debts
    # Descending with ``reverse=True`` keeps equal APRs in input order (sorting
    # is stable either way): the same order as the key ``(-apr, i)``.
    order = sorted(range(len(debts)), key=[d.apr for d in debts].__getitem__, reverse=True)
    return _simulate(debts, case, available, "avalanche", order)


def snowball(case: Case, available: Decimal) -> StrategyResult:
    """Smallest opening balance first (ties: input order)."""
    debts = case.non_priority_debts
    order = sorted(range(len(debts)), key=[d.balance for d in debts].__getitem__)
    return _simulate(debts, case, available, "snowball", order)
