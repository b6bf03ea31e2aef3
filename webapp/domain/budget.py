"""Budget rules: monthly equivalents, priority payments and what is left.

The rules are those of ``shared/CASEFILE.md``: the exact sum of monthly
equivalents is rounded half-up to cents *once*, and ``available`` is computed
from the rounded figures so that the page adds up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .model import BudgetItem, Case, Frequency
from .money import cents

#: Multiply an amount by this to get its monthly equivalent (exact fractions).
MONTHLY_FACTOR: dict[Frequency, tuple[int, int]] = {
    Frequency.WEEKLY: (52, 12),
    Frequency.FORTNIGHTLY: (26, 12),
    Frequency.FOUR_WEEKLY: (13, 12),
    Frequency.MONTHLY: (1, 1),
    Frequency.QUARTERLY: (1, 3),
    Frequency.YEARLY: (1, 12),
}


def monthly_equivalent(amount: Decimal, frequency: Frequency) -> Decimal:
    """The unrounded monthly equivalent of ``amount`` paid at ``frequency``."""
    num, den = MONTHLY_FACTOR[Frequency(frequency)]
    return Decimal(amount) * num / den


def monthly_total(items: Iterable[BudgetItem]) -> Decimal:
    """Exact sum of monthly equivalents, rounded half-up to cents once."""
    return cents(sum((monthly_equivalent(i.amount, i.frequency) for i in items), Decimal(0)))


@dataclass(frozen=True)
class BudgetSummary:
    monthly_income: Decimal
    monthly_expenses: Decimal
    priority_payments: Decimal
    available: Decimal

    @property
    def in_deficit(self) -> bool:
        return self.available < 0

    def as_json(self) -> dict[str, str]:
        """Amounts as strings, the way they travel in JSON."""
        return {
            "monthly_income": str(self.monthly_income),
            "monthly_expenses": str(self.monthly_expenses),
            "priority_payments": str(self.priority_payments),
            "available": str(self.available),
        }


def summarise(case: Case) -> BudgetSummary:
    """Income, expenses, priority payments and what is available for other creditors."""
    income = monthly_total(case.income)
    expenses = monthly_total(case.expenses)
    priority = cents(sum((d.contractual_payment for d in case.priority_debts), Decimal(0)))
    return BudgetSummary(income, expenses, priority, income - expenses - priority)
