"""One option to lead with, its reason, and why not each of the others (issue 12).

What a money adviser recommends, in order:

1. the contractual payments fit: keep them (``avalanche``), no creditor is asked
   for less;
2. a lump sum reaches a realistic share of every balance (at least the case's
   settlement floor) and the monthly budget could not clear the debts within
   five years anyway: a full and final ``settlement``;
3. otherwise, with money left each month: fair shares with interest frozen
   (``pro_rata``), the offer debt advisers usually make to several creditors;
4. when fair shares cannot be offered: a longer term (``term_extension``);
5. when nothing real can be funded: ``token`` payments, reviewed.

A settlement is never recommended while the budget is in deficit: a lump sum
then goes to the priority debts first. Each option not recommended gets a
reason code (``others``) the plan page turns into words; ``infeasible`` means
the option's own reason (its ``reason_code``) says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .budget import BudgetSummary
from .strategies.base import StrategyResult

#: Why the recommended option is recommended.
CONTRACTUAL_FIT = "contractual_fit"
SETTLEMENT_REALISTIC = "settlement_realistic"
FAIR_SHARES = "fair_shares"
ONE_CREDITOR = "one_creditor"
LONGER_TERM = "longer_term"
NOTHING_TO_OFFER = "nothing_to_offer"

#: Why another option is not.
INFEASIBLE = "infeasible"
INTEREST_CONTINUES = "interest_continues"
FAIR_SHARES_FIRST = "fair_shares_first"
BELOW_FLOOR = "below_floor"
SURPLUS = "surplus"
PRIORITY_FIRST = "priority_first"
SETTLEMENT_CLEARS = "settlement_clears"
NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Recommendation:
    """The option to lead with (None: nothing fits) and why; why not the others."""

    name: str | None
    reason: str | None
    others: dict[str, str] = field(default_factory=dict)


def _usable(r: StrategyResult) -> bool:
    return r.feasible and not r.extra.get("nothing_to_plan")


def settlement_realistic(r: StrategyResult | None, budget: BudgetSummary) -> bool:
    """A feasible settlement at or above the floor for every creditor, which the
    budget statement does not refute, and no deficit the lump sum must meet first."""
    return (r is not None and _usable(r) and not r.extra.get("below_floor")
            and not r.extra.get("surplus_warning") and not budget.in_deficit)


def recommendation(budget: BudgetSummary, results: list[StrategyResult]) -> Recommendation:
    """What to lead with among ``results`` (any subset of the strategies)."""
    by_name = {r.name: r for r in results}
    usable = {name for name, r in by_name.items() if _usable(r)}
    creditors = max((len(r.offers) for r in results), default=0)
    if budget.contractual_payments_fit and "avalanche" in usable:
        name, reason = "avalanche", CONTRACTUAL_FIT
    elif settlement_realistic(by_name.get("settlement"), budget):
        name, reason = "settlement", SETTLEMENT_REALISTIC
    elif "pro_rata" in usable:
        name, reason = "pro_rata", FAIR_SHARES if creditors > 1 else ONE_CREDITOR
    elif "term_extension" in usable:
        name, reason = "term_extension", LONGER_TERM
    elif "token" in usable:
        name, reason = "token", NOTHING_TO_OFFER
    else:
        name, reason = None, None
    others = {r.name: _why_not(r, name, budget) for r in results if r.name != name}
    return Recommendation(name, reason, others)


def _why_not(r: StrategyResult, chosen: str | None, budget: BudgetSummary) -> str:
    if r.name == "token" and r.extra.get("reason_code") == "real_offers_fit":
        return NOT_NEEDED
    if not _usable(r):
        return INFEASIBLE
    if r.name == "settlement":
        if r.extra.get("below_floor"):
            return BELOW_FLOOR
        if r.extra.get("surplus_warning"):
            return SURPLUS
        if budget.in_deficit:
            return PRIORITY_FIRST
        return CONTRACTUAL_FIT  # the only reason a realistic settlement is not chosen
    if chosen == "avalanche":
        return CONTRACTUAL_FIT if r.name in ("pro_rata", "term_extension") else (
            INTEREST_CONTINUES)
    if chosen == "settlement":
        return SETTLEMENT_CLEARS
    if r.name in ("avalanche", "snowball"):
        return INTEREST_CONTINUES
    if r.name == "token":
        return NOT_NEEDED
    return FAIR_SHARES_FIRST
