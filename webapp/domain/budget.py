"""Budget rules: monthly equivalents, priority payments and what is left.

The rules are those of ``shared/CASEFILE.md``: the exact sum of monthly
equivalents is rounded half-up to cents *once*, and ``available`` is computed
from the rounded figures so that the page adds up.

Priority debts are paid first, month by month (:func:`priority_payments_by_month`):

* each month a priority debt is paid its ``contractual_payment`` (the ongoing
  payment) plus, while arrears remain, its ``arrears_payment`` (the catch-up);
* a priority debt is never paid more than its balance: once a debt with a
  balance is cleared its payment stops (rent arrears of 1,300 at 1,250 a month
  are paid 1,250 then 50, not 1,250 for ever). A priority debt whose balance is
  0 is read as an ongoing payment with no end, as before;
* what a priority debt no longer takes goes to the other creditors from the
  month it is freed (``available`` is month 1's figure; strategies add
  :func:`released_by_month`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .model import BudgetItem, Case, Debt, DebtKind, ExpenseCategory, Frequency
from .money import ZERO, cents

#: Beyond this many months nothing is simulated (``strategies.base.MAX_MONTHS``).
HORIZON = 600

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
    #: Σ contractual payments of the non-priority debts (each at most its balance)
    contractual_payments: Decimal = ZERO
    #: True when ``available`` covers every non-priority contractual payment
    #: (and every such debt has one): keep them, no reduced offer is needed
    contractual_payments_fit: bool = False

    @property
    def in_deficit(self) -> bool:
        return self.available < 0

    @property
    def surplus(self) -> Decimal:
        """What is left after the contractual payments when they fit (else 0)."""
        if not self.contractual_payments_fit:
            return ZERO
        return self.available - self.contractual_payments

    def as_json(self) -> dict[str, str]:
        """Amounts as strings, the way they travel in JSON."""
        return {
            "monthly_income": str(self.monthly_income),
            "monthly_expenses": str(self.monthly_expenses),
            "priority_payments": str(self.priority_payments),
            "available": str(self.available),
        }


def _priority_payments(debt: Debt) -> list[int]:
    """One priority debt's payments in cents, month 1 first, until they stop
    changing; the last entry then repeats for ever (0 once the debt is cleared)."""
    ongoing = int(cents(debt.contractual_payment) * 100)
    arrears = int(cents(debt.arrears or 0) * 100)
    catch_up = int(cents(debt.arrears_payment or 0) * 100) if arrears else 0
    balance = int(cents(debt.balance) * 100)
    capped = balance > 0
    out: list[int] = []
    while len(out) < HORIZON:
        extra = min(catch_up, arrears)
        pay = ongoing + extra
        if capped:
            pay = min(pay, balance)
            balance -= pay
        arrears -= extra
        out.append(pay)
        if capped and balance == 0:
            out.append(0)
            break
        if extra == 0 and (not capped or ongoing == 0):
            break  # the same payment from here on
    return out


def first_payment(debt: Debt) -> Decimal:
    """A priority debt's month-1 payment: ongoing + catch-up, at most its balance."""
    return cents(Decimal(_priority_payments(debt)[0]) / 100)


def priority_payments_by_month(case: Case) -> list[int]:
    """Σ priority payments in cents for month 1, 2, ...; the last entry repeats for ever."""
    rows = [_priority_payments(d) for d in case.priority_debts]
    if not rows:
        return [0]
    length = max(len(r) for r in rows)
    return [sum(r[k] if k < len(r) else r[-1] for r in rows) for k in range(length)]


def released_by_month(case: Case) -> list[int]:
    """What priority debts no longer take, in cents, in month 1, 2, ... (month 1 is 0).

    Month k of a plan has ``available + released[k − 1]`` (the last entry repeats).
    """
    rows = priority_payments_by_month(case)
    return [rows[0] - r for r in rows]


def contractual_payments(case: Case) -> Decimal:
    """Σ contractual payments of the non-priority debts, each at most its balance."""
    return cents(sum(
        (min(d.contractual_payment, d.balance) for d in case.non_priority_debts), Decimal(0)))


def summarise(case: Case) -> BudgetSummary:
    """Income, expenses, priority payments and what is available for other creditors.

    ``priority_payments`` is month 1's: each priority debt's contractual payment
    plus its arrears catch-up, at most its balance (see the module docstring).
    """
    income = monthly_total(case.income)
    expenses = monthly_total(case.expenses)
    priority = cents(Decimal(priority_payments_by_month(case)[0]) / 100)
    available = income - expenses - priority
    contractual = contractual_payments(case)
    fits = contractual_payments_fit(case, available)
    return BudgetSummary(income, expenses, priority, available, contractual, fits)


def contractual_payments_fit(case: Case, available: Decimal) -> bool:
    """Whether ``available`` covers every non-priority debt's contractual payment.

    Every such debt must have one (a debt without one cannot simply be "kept
    up"). When they fit no creditor is asked for a reduction (issue 13.1):
    the plan keeps the contractual payments and puts the rest on a target.
    """
    debts = case.non_priority_debts
    return (
        bool(debts)
        and all(d.contractual_payment > 0 for d in debts)
        and available >= contractual_payments(case)
    )


#: Kinds of priority debt that mean the home is at risk.
HOUSING_KINDS = frozenset({DebtKind.RENT_ARREARS, DebtKind.MORTGAGE})


def housing_costs_missing(case: Case) -> bool:
    """True when rent or mortgage arrears are owed but no housing cost is in the budget.

    A mortgage whose contractual payment is given pays for the home itself, so
    only rent arrears, or mortgage arrears without an ongoing payment, count.
    """
    if any(e.category == ExpenseCategory.HOUSING for e in case.expenses):
        return False
    for d in case.priority_debts:
        if d.balance <= 0 or d.kind not in HOUSING_KINDS:
            continue
        if d.kind == DebtKind.RENT_ARREARS or d.contractual_payment == 0:
            return True
    return False
