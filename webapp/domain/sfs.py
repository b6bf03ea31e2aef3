"""The budget in the Standard Financial Statement's summary shape (SFS v1.1).

The UK's Standard Financial Statement publishes JSON and XSD schemas
(moneyadviceservice/sfs-developer-toolkit, ``dds/v1.1/json/sfs-summary-schema.json``)
so that a budget moves between advice tools without re-keying. :func:`sfs_summary`
fills that shape from a case; amounts are ``Decimal`` here and must be written
as JSON *numbers* (the schema's ``currency-value-type``), which
:func:`dumps` does without going through float.

Parley records less than the SFS asks for, and says so rather than invent:

* dates of birth are left out (the schema requires the client's: a counselor
  adds it in their tool); employment status and housing tenure are "Other" /
  "other" with a note;
* ``is-joint-application`` is true when the household has two or more adults
  (the budget is theirs together); children are counted as under 16;
* Parley's housing category goes to ``mortgage`` when the case has a mortgage
  debt, else to ``rent``; utilities (one category in Parley) to
  ``other-utilities``; the other categories to the SFS total of the same name;
* each cost group is rounded to the cent on its own, so the groups may differ
  by a cent from ``total-monthly-outgoings``, which is Parley's one sum;
* priority debts are listed with their month-1 payment as the repayment offer,
  non-priority debts with the offer of the saved proposal when there is one
  (else 0); the borrower's reasons for spending become ``notes``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal

from .budget import first_payment, monthly_total, summarise
from .model import Case, DebtKind, ExpenseCategory
from .money import ZERO, cents

#: Parley's flexible categories → the SFS summary's totals of the same meaning.
FLEXIBLE = {
    ExpenseCategory.COMMUNICATIONS: "total-communications-leisure",
    ExpenseCategory.FOOD: "total-food-housekeeping",
    ExpenseCategory.PERSONAL: "total-personal",
}
#: What each Parley category is called in the notes.
NOTE_NAMES = {
    "housing": "Home", "utilities": "Utilities", "food": "Food and housekeeping",
    "transport": "Transport and travel", "school": "School costs",
    "care_health": "Care and health costs", "insurance": "Pensions and insurances",
    "communications": "Communications and leisure", "personal": "Personal costs",
    "other": "Other essential costs",
}


def _spent(case: Case, category: ExpenseCategory) -> Decimal:
    return monthly_total(e for e in case.expenses
                         if (e.category or ExpenseCategory.OTHER) == category)


def sfs_summary(case: Case, offers: Mapping[str, Decimal] | None = None) -> dict:
    """The case as an SFS v1.1 summary (amounts as Decimal); ``offers`` maps a
    non-priority debt's id to its monthly offer in the saved proposal."""
    offers = offers or {}
    budget = summarise(case)
    has_mortgage = any(d.kind == DebtKind.MORTGAGE for d in case.debts)
    housing = _spent(case, ExpenseCategory.HOUSING)
    # in the schema's order; what Parley does not record apart is 0
    fixed = {
        "rent": ZERO if has_mortgage else housing,
        "mortgage": housing if has_mortgage else ZERO,
        "secured-loans": ZERO, "council-tax-rates": ZERO, "other-home-contents": ZERO,
        "gas": ZERO, "electricity": ZERO,
        "other-utilities": _spent(case, ExpenseCategory.UTILITIES),
        "total-water": ZERO,
        "total-care-health": _spent(case, ExpenseCategory.CARE_HEALTH),
        "total-transport-travel": _spent(case, ExpenseCategory.TRANSPORT),
        "total-school": _spent(case, ExpenseCategory.SCHOOL),
        "total-pensions-insurances": _spent(case, ExpenseCategory.INSURANCE),
        "total-professional": ZERO,
        "total-other-essential": _spent(case, ExpenseCategory.OTHER),
    }
    fixed["total-fixed-costs"] = cents(sum(fixed.values(), ZERO))
    flexible = {key: _spent(case, c) for c, key in FLEXIBLE.items()}
    flexible["total-flexible-costs"] = cents(sum(flexible.values(), ZERO))
    priority = [{"creditor": d.creditor, "amount-owed": d.balance,
                 "repayment-offer": first_payment(d)} for d in case.priority_debts]
    others = [{"creditor": d.creditor, "amount-owed": d.balance,
               "repayment-offer": cents(offers.get(d.id, ZERO)), "ccj": False}
              for d in case.non_priority_debts]
    household = case.household
    notes = [f"{NOTE_NAMES[c]}: {text}" for c, text in case.spending_reasons]
    notes.append("Exported from Parley: dates of birth, employment status and housing "
                 "tenure are not recorded there; children are counted as under 16.")
    return {
        "client-name": case.borrower.name,
        "is-joint-application": household.adults >= 2,
        "client-address": case.borrower.address.replace("\n", ", "),
        "dependent-children-under-16": household.children,
        "dependent-children-16-18": 0,
        "other-dependents": 0,
        "non-dependents": max(household.adults - 2, 0),
        "total-number-in-household": household.adults + household.children,
        "vehicles": 1 if household.car else 0,
        "housing-tenure": "other",
        "housing-tenure-other": "not recorded in Parley",
        "client-employment-status": ["Other"],
        "client-employment-status-other": "not recorded in Parley",
        "overview": {
            "total-monthly-income": budget.monthly_income,
            "total-monthly-outgoings": budget.monthly_expenses,
            "savings-contribution": ZERO,
            "debt-admin-fee": ZERO,
            "total-available-for-priority-debts":
                budget.monthly_income - budget.monthly_expenses,
            "total-available-for-non-priority-debts": budget.available,
        },
        "monthly-income": {
            "total-earnings": ZERO, "total-benefits": ZERO, "total-pensions": ZERO,
            # Parley does not tell wages from benefits: all income is "other"
            "total-other-income": budget.monthly_income,
            "total-monthly-income": budget.monthly_income,
        },
        "monthly-outgoings": {
            "fixed-costs": fixed,
            "flexible-costs": flexible,
            "total-monthly-outgoings": budget.monthly_expenses,
        },
        "confirmations": {"asset-use-considered": False,
                          "savings-contribution-considered": False},
        "debts": {
            "priority-debts": priority,
            "total-priority-debts": cents(sum((d.balance for d in case.priority_debts), ZERO)),
            "non-priority-debts": others,
            "total-non-priority-debts": cents(sum((d.balance for d in case.non_priority_debts),
                                                  ZERO)),
        },
        "notes": notes,
    }


def dumps(summary: dict) -> str:
    """JSON text with every amount a number with two decimals (``1234.50``),
    exactly: each Decimal is written through a placeholder, then unquoted."""
    token = f"sfs-number-{uuid.uuid4().hex}:"

    def mark(value):
        if isinstance(value, Decimal):
            return token + format(cents(value), "f")
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(summary), ensure_ascii=False, indent=2)
    return re.sub(f'"{token}(-?[0-9]+\\.[0-9]{{2}})"', r"\1", text)
