"""Small builders for engine tests (plain functions; no app, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from webapp.domain.model import BudgetItem, Case, Debt, DebtKind, Frequency, Options


def make_debt(
    id: str,
    balance: str,
    apr: str = "0",
    contractual: str = "0",
    kind: DebtKind = DebtKind.CREDIT_CARD,
    **extra,
) -> Debt:
    return Debt(
        id, f"Creditor {id}", kind, Decimal(balance), Decimal(apr), Decimal(contractual), **extra
    )


def make_case(
    *debts: Debt,
    available: str = "100",
    start: date = date(2027, 1, 31),
    min_offer: str = "1",
    lump_sum: str | None = None,
    jurisdiction: str = "GB",
    **options,
) -> Case:
    """A case whose budget leaves exactly ``available`` a month (income only).

    ``options`` are the other :class:`Options` fields (``pro_rata_basis``...).
    """
    amount = Decimal(available)
    income = (BudgetItem("Wages", amount, Frequency.MONTHLY),) if amount >= 0 else ()
    expenses = () if amount >= 0 else (BudgetItem("Rent", -amount, Frequency.MONTHLY),)
    return Case(
        "GBP",
        jurisdiction,
        start,
        income=income,
        expenses=expenses,
        debts=tuple(debts),
        lump_sum=None if lump_sum is None else Decimal(lump_sum),
        options=Options(Decimal(min_offer), **options),
    )
