"""Full and final settlement from a lump sum (CASEFILE.md).

``min(lump_sum, Σ balances)`` is split pro rata to balance by largest
remainder; when the lump sum covers everything each debt is simply paid in
full. The remainder of each balance is what the creditor is asked to write off.

Two figures keep a settlement honest (issues 13.2 and 14.6):

* ``surplus_clears_in``: the months the monthly budget (``available``, plus
  what priority debts free later) would take to clear every balance
  interest-free. When that is at most :data:`SURPLUS_WARNING_MONTHS` a letter
  saying "I cannot offer more" would be refuted by its own budget statement:
  ``surplus_warning`` is then true and the letter needs the user's explicit
  acknowledgement (``webapp.services.letters``).
* ``lump_sum_range``: the lump sum that would reach :data:`SETTLEMENT_RANGE`
  of the balances (DOMAIN.md: creditors typically accept 40-60 %): with no lump
  sum, what would make a settlement possible; with one, what would make it
  realistic.

A settlement below the case's floor (``options.settlement_floor``, default
:data:`DEFAULT_FLOOR` = 30 % of each balance) is unlikely to be accepted (issue
12): ``below_floor`` is then true and ``below_floor_debts`` names the creditors
offered less. Sources (shared/DOMAIN.md): settlements are typically accepted at
40-60 % of the balance, with openings at 30-60 % (debt-settlement vendors; weak);
US debt-settlement clients who settle do so at about a 33 % write-down of the
current balance on average (Dobbie et al., Harvard, 2020). 30 % is the lowest
opening those sources report; below it an offer reads as unserious.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..budget import released_by_month
from ..model import Case
from .base import (
    MAX_MONTHS,
    CentSchedule,
    Offer,
    StrategyResult,
    div_half_up,
    from_cents,
    infeasible,
    month_available,
    split_cents,
    to_cents,
)
from .pro_rata import needed_interest_free

PERCENT = Decimal("0.01")
#: A settlement offer beside a budget that clears everything within this many
#: months needs the user's acknowledgement: 60 is the longest a US debt
#: management plan runs and China's cap on instalments, so a creditor would
#: rather take the monthly payments than a write-off.
SURPLUS_WARNING_MONTHS = 60
#: The share of the balance creditors typically accept in settlement (percent).
SETTLEMENT_RANGE = (40, 60)
#: Below this share of a balance (percent) a settlement is unlikely to be accepted.
DEFAULT_FLOOR = Decimal(30)


def surplus_clears_in(case: Case, available: Decimal) -> int | None:
    """Months the monthly budget would take to clear every non-priority balance
    interest-free (None: it never would, within 50 years)."""
    owed = sum(to_cents(d.balance) for d in case.non_priority_debts)
    if owed == 0:
        return 0
    avail_at = month_available(to_cents(available), released_by_month(case))
    paid = 0
    for month in range(1, MAX_MONTHS + 1):
        paid += max(avail_at(month), 0)
        if paid >= owed:
            return month
    return None


def lump_sum_range(balances: list[int]) -> dict[str, Decimal]:
    """The lump sum a settlement typically needs: SETTLEMENT_RANGE of the balances."""
    owed = sum(balances)
    low, high = SETTLEMENT_RANGE
    return {"low": from_cents(div_half_up(owed * low, 100)),
            "high": from_cents(div_half_up(owed * high, 100))}


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
            lump_sum_range=lump_sum_range(balances),
        )
    clears_in = surplus_clears_in(case, available)
    owed = sum(balances)
    total = min(lump, owed)
    amounts = balances if total == owed else split_cents(total, balances)
    floor = Decimal(case.options.settlement_floor)
    percents = [percent_of(a, b) for a, b in zip(amounts, balances, strict=True)]
    below = tuple(d.id for d, pct in zip(debts, percents, strict=True) if pct < floor)
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
            Offer(d.id, d.creditor, amount=from_cents(a), percent=pct)
            for d, a, pct in zip(debts, amounts, percents, strict=True)
        ],
        schedule=schedule,
        extra={
            "lump_sum": from_cents(lump),
            "written_off": from_cents(owed - total),
            "in_full": total == owed,
            "surplus_clears_in": clears_in,
            "surplus_warning": total < owed
            and clears_in is not None
            and clears_in <= SURPLUS_WARNING_MONTHS,
            "paid_by_debt": {d.id: from_cents(a) for d, a in zip(debts, amounts, strict=True)},
            "share": percent_of(total, owed),
            "floor": floor,
            "below_floor": bool(below),
            "below_floor_debts": below,
            "lump_sum_range": lump_sum_range(balances),
        },
    )
