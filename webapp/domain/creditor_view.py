"""What a creditor could get instead of an offer, from the same budget (issue 12).

A creditor weighing an offer compares it with its alternatives; a letter that
sets them out in the creditor's own figures is more often accepted. From the
case alone (pure, no plan needed):

* **nothing while in deficit**: when income does not cover essential costs and
  priority debts, refusing an arrangement leaves nothing to pay from;
* **the budget's share**: what the budget could pay this creditor a month, its
  share of what is available in proportion to balance (interest frozen). A
  court setting instalments would look at the same income and spending, so this
  is also roughly what an instalment order could give, after the court fee;
* **selling the debt**: a buyer pays a fraction of the balance. Only where a
  published figure exists is it quoted (:data:`SALE_PRICES`).

Letters say these facts; they never threaten (see the letter templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .budget import summarise
from .model import Case
from .money import ZERO, cents
from .strategies.base import from_cents, split_cents, to_cents

#: What debt buyers pay for a debt, as a share of its balance, where published.
#: US: "Debt buyers paid pennies on the dollar (an average of about 4 cents,
#: with older debt selling for less than newer debt)": Federal Trade
#: Commission, The Structure and Practices of the Debt Buying Industry, Jan. 2013.
SALE_PRICES: dict[str, tuple[Decimal, dict[str, str]]] = {
    "US": (Decimal("0.04"), {
        "en": "US Federal Trade Commission, 2013",
        "zh_CN": "美国联邦贸易委员会2013年报告",
    }),
}


@dataclass(frozen=True)
class Alternatives:
    """What one creditor could get instead of the offer."""

    #: income does not cover essential costs and priority debts
    in_deficit: bool
    #: this creditor's share a month of what the budget has for creditors (0 in deficit)
    budget_share: Decimal
    #: what a buyer would pay for the debt, where a published average exists
    sale_price: Decimal | None = None
    #: that average as a share of the balance (0.04: 4 cents in the dollar)
    sale_ratio: Decimal | None = None
    #: where the average is published, per language
    sale_source: dict[str, str] | None = None


def alternatives(case: Case, debt_id: str) -> Alternatives:
    """The alternatives open to the creditor of ``debt_id`` (a non-priority debt)."""
    budget = summarise(case)
    debts = case.non_priority_debts
    balances = [to_cents(d.balance) for d in debts]
    index = next((i for i, d in enumerate(debts) if d.id == debt_id), None)
    share = ZERO
    available = to_cents(budget.available)
    if index is not None and available > 0:
        share = from_cents(split_cents(min(available, sum(balances)), balances)[index])
    sale = SALE_PRICES.get(case.jurisdiction)
    price = None
    if sale is not None and index is not None:
        price = cents(debts[index].balance * sale[0])
    return Alternatives(budget.in_deficit or available <= 0, share, price,
                        sale[0] if sale else None, sale[1] if sale else None)


def months_to_reach(amount: Decimal, monthly: Decimal) -> int | None:
    """How many months ``monthly`` takes to add up to ``amount`` (None if never)."""
    if monthly <= 0:
        return None
    return int((Decimal(amount) / monthly).to_integral_value(rounding=ROUND_CEILING))
