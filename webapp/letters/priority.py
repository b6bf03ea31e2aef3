"""What a letter to a priority creditor (council, landlord, energy supplier) asks for.

A priority debt is two things: the ongoing payment (this month's rent, this
year's council tax instalments) and the arrears already missed, which need a
catch-up payment of their own. :func:`arrears_terms` is the ONE place that reads
them from a debt: until the debt fields ``arrears`` and ``arrears_payment``
exist, the balance is taken as the arrears and the contractual payment as the
ongoing payment, and no catch-up amount is known (the letter then asks for an
arrangement the budget statement shows is affordable). When those fields land,
change only this function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from dateutil.relativedelta import relativedelta

from webapp.domain.model import Case, Debt
from webapp.domain.money import ZERO


@dataclass(frozen=True)
class ArrearsTerms:
    """The arrears of one priority debt and what the borrower offers towards them."""

    #: what has been missed
    arrears: Decimal
    #: the regular payment that keeps the debt from growing (rent, instalments)
    ongoing: Decimal
    #: the extra monthly payment towards the arrears; None: not known yet
    arrears_payment: Decimal | None = None
    #: the month the catch-up payments start
    first_date: date | None = None
    #: number of catch-up payments and the last one's date (when the payment is known)
    months: int | None = None
    last_date: date | None = None


def _field(debt: Debt, name: str) -> Decimal | None:
    value = getattr(debt, name, None)  # the fields another change is adding to Debt
    return None if value is None else Decimal(value)


def arrears_terms(debt: Debt, case: Case) -> ArrearsTerms:
    """The arrears, the ongoing payment and the catch-up payment of a priority ``debt``."""
    arrears = _field(debt, "arrears")
    if arrears is None:
        arrears = debt.balance
    payment = _field(debt, "arrears_payment")
    if payment is None or payment <= ZERO or arrears <= ZERO:
        return ArrearsTerms(arrears, debt.contractual_payment, None, case.start_date)
    months = int((arrears / payment).to_integral_value(rounding=ROUND_CEILING))
    last = case.start_date + relativedelta(months=months - 1)
    return ArrearsTerms(arrears, debt.contractual_payment, payment, case.start_date, months, last)
