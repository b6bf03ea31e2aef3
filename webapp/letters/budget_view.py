"""The budget statement's tables: income, spending by group, priority debts.

Monthly figures use the domain's rules (``webapp.domain.budget``): each line's
monthly equivalent and each group's subtotal are rounded half-up once, and the
totals are the domain's own, so the statement agrees with the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from webapp.domain.budget import first_payment, monthly_equivalent, monthly_total
from webapp.domain.model import BudgetItem, Case, ExpenseCategory, Household
from webapp.domain.money import cents

from .catalogue import CATEGORY_LABELS, FREQUENCY_LABELS, KIND_LABELS
from .spelling import american as american_spelling


@dataclass(frozen=True)
class BudgetLine:
    """One income or expense as the borrower entered it, and per month."""

    label: str
    frequency: str
    amount: Decimal
    monthly: Decimal


@dataclass(frozen=True)
class BudgetGroup:
    """A spending group (Standard Financial Statement spirit) and its subtotal."""

    key: str
    label: str
    lines: tuple[BudgetLine, ...]
    monthly: Decimal
    #: the borrower's reason for spending this much ("" = none given; issue 12)
    reason: str = ""


@dataclass(frozen=True)
class PriorityLine:
    """A priority debt, paid first at its contractual amount."""

    creditor: str
    kind: str
    balance: Decimal
    monthly: Decimal


@dataclass(frozen=True)
class BudgetView:
    household: Household
    income: tuple[BudgetLine, ...]
    groups: tuple[BudgetGroup, ...]
    priority: tuple[PriorityLine, ...]


def _line(item: BudgetItem, lang: str, spell: Callable[[str], str]) -> BudgetLine:
    label = spell(FREQUENCY_LABELS[str(item.frequency)][lang])
    return BudgetLine(
        item.label, label, item.amount, cents(monthly_equivalent(item.amount, item.frequency))
    )


def budget_view(case: Case, lang: str, *, american: bool = False) -> BudgetView:
    """The case's budget arranged for the statement, labels in ``lang``.

    With ``american``, Parley's own labels are spelt the American way
    ("every two weeks", not "fortnightly"); the borrower's labels never change.
    """
    spell: Callable[[str], str] = american_spelling if american else str
    groups = []
    # Groups follow the enum's (SFS) order, not the order items were entered.
    for category in ExpenseCategory:
        items = [e for e in case.expenses if (e.category or ExpenseCategory.OTHER) == category]
        if items:
            groups.append(
                BudgetGroup(
                    str(category),
                    spell(CATEGORY_LABELS[str(category)][lang]),
                    tuple(_line(i, lang, spell) for i in items),
                    monthly_total(items),
                    case.reasons.get(str(category), ""),
                )
            )
    priority = tuple(
        # month 1's payment: the ongoing one plus any arrears catch-up, so that
        # the lines add up to the plan's priority_payments
        PriorityLine(d.creditor, spell(KIND_LABELS[str(d.kind)][lang]), d.balance,
                     first_payment(d))
        for d in case.priority_debts
    )
    return BudgetView(
        case.household, tuple(_line(i, lang, spell) for i in case.income), tuple(groups), priority
    )
