"""Case use cases: create, edit, budget items, debts, import and export."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..domain import model as dm
from ..domain.budget import BudgetSummary, summarise
from ..extensions import db
from ..models import BudgetItem, Case, Debt, User
from ..models.types import now_utc

CASE_FIELDS = (
    "title", "currency", "jurisdiction", "start_date", "adults", "children", "language",
    "lump_sum", "min_offer", "pro_rata_basis", "term_months", "term_apr", "borrower_name",
    "borrower_address", "borrower_email", "borrower_phone", "borrower_id_number",
)
ITEM_FIELDS = ("label", "category", "amount", "frequency")
DEBT_FIELDS = (
    "creditor", "creditor_address", "creditor_email", "creditor_phone", "account_ref",
    "account_ref_unknown", "kind", "balance", "apr", "contractual_payment", "days_overdue",
    "priority",
)


def _apply(obj, fields, values: dict) -> None:
    for name in fields:
        if name in values:
            setattr(obj, name, values[name])


def create_case(owner: User, **values) -> Case:
    case = Case(owner_id=owner.id)
    _apply(case, CASE_FIELDS, values)
    if case.min_offer is None:
        case.min_offer = Decimal("1.00")
    db.session.add(case)
    db.session.commit()
    return case


def update_case(case: Case, **values) -> None:
    _apply(case, CASE_FIELDS, values)
    case.touch()
    db.session.commit()


def delete_case(case: Case) -> None:
    db.session.delete(case)
    db.session.commit()


def add_item(case: Case, direction: str, **values) -> BudgetItem:
    item = BudgetItem(direction=direction, position=len(case.items))
    _apply(item, ITEM_FIELDS, values)
    if direction == "income":
        item.category = None
    case.items.append(item)
    case.touch()
    db.session.commit()
    return item


def update_item(item: BudgetItem, **values) -> None:
    _apply(item, ITEM_FIELDS, values)
    if item.direction == "income":
        item.category = None
    item.case.touch()
    db.session.commit()


def delete_item(item: BudgetItem) -> None:
    case = item.case
    case.items.remove(item)
    case.touch()
    db.session.commit()


def _next_ref(case: Case, creditor: str) -> str:
    """A readable, unique case-file id for a new debt: ``barclays``, ``barclays-2``."""
    base = re.sub(r"[^a-z0-9]+", "-", creditor.lower()).strip("-")[:30] or "debt"
    taken = {d.ref for d in case.debts}
    ref, n = base, 2
    while ref in taken:
        ref, n = f"{base}-{n}", n + 1
    return ref


def add_debt(case: Case, **values) -> Debt:
    debt = Debt(position=len(case.debts))
    _apply(debt, DEBT_FIELDS, values)
    debt.ref = _next_ref(case, debt.creditor)
    case.debts.append(debt)
    case.touch()
    db.session.commit()
    return debt


def update_debt(debt: Debt, **values) -> None:
    _apply(debt, DEBT_FIELDS, values)
    debt.case.touch()
    db.session.commit()


def delete_debt(debt: Debt) -> None:
    case = debt.case
    case.debts.remove(debt)
    case.touch()
    db.session.commit()


# --- the domain view -------------------------------------------------------


def to_domain(case: Case) -> dm.Case:
    """The case as the pure engine sees it."""
    def item(i: BudgetItem) -> dm.BudgetItem:
        category = dm.ExpenseCategory(i.category) if i.category else None
        return dm.BudgetItem(i.label, i.amount, dm.Frequency(i.frequency), category)

    debts = tuple(
        dm.Debt(
            id=d.ref, creditor=d.creditor, kind=dm.DebtKind(d.kind), balance=d.balance,
            apr=d.apr, contractual_payment=d.contractual_payment, priority=d.priority,
            days_overdue=d.days_overdue, account_ref=d.account_ref or "",
            creditor_address=d.creditor_address or "", creditor_email=d.creditor_email or "",
            creditor_phone=d.creditor_phone or "",
            account_ref_unknown=bool(d.account_ref_unknown) and not (d.account_ref or "").strip(),
        )
        for d in case.debts
    )
    return dm.Case(
        currency=case.currency,
        jurisdiction=case.jurisdiction,
        start_date=case.start_date,
        household=dm.Household(case.adults, case.children),
        income=tuple(item(i) for i in case.income),
        expenses=tuple(item(i) for i in case.expenses),
        debts=debts,
        lump_sum=case.lump_sum,
        options=dm.Options(
            min_offer=case.min_offer,
            pro_rata_basis=dm.ProRataBasis(case.pro_rata_basis or "balance"),
            term_months=case.term_months,
            # Numeric(8, 4) reads back as 4.5000: export it as it was typed, 4.5.
            term_apr=(case.term_apr or Decimal(0)).normalize(),
        ),
        title=case.title or "",
        language=case.language or "",
        borrower=dm.Borrower(
            case.borrower_name or "", case.borrower_address or "",
            case.borrower_email or "", case.borrower_phone or "",
            case.borrower_id_number or "",
        ),
    )


def summary(case: Case) -> BudgetSummary:
    return summarise(to_domain(case))


def export_case(case: Case) -> dict:
    """The case file (``parley-case/1``) of this case."""
    from ..domain.casefile import dump_case

    return dump_case(to_domain(case))


def import_case(owner: User, text: str | bytes) -> Case:
    """Create a new case from a case file; raises ValidationError listing every
    problem by field path, and stores nothing then."""
    from ..domain.casefile import loads

    parsed = loads(text)  # raises before anything touches the session
    case = from_domain(owner, parsed)
    db.session.add(case)
    db.session.commit()
    return case


def from_domain(owner: User, c: dm.Case) -> Case:
    case = Case(
        owner_id=owner.id, title=c.title, currency=c.currency, jurisdiction=c.jurisdiction,
        start_date=c.start_date, adults=c.household.adults, children=c.household.children,
        language=c.language, lump_sum=c.lump_sum, min_offer=c.options.min_offer,
        pro_rata_basis=dm.ProRataBasis(c.options.pro_rata_basis).value,
        term_months=c.options.term_months, term_apr=c.options.term_apr,
        borrower_name=c.borrower.name, borrower_address=c.borrower.address,
        borrower_email=c.borrower.email, borrower_phone=c.borrower.phone,
        borrower_id_number=c.borrower.id_number,
        updated_at=now_utc(),
    )
    for pos, i in enumerate(c.income):
        case.items.append(BudgetItem(direction="income", label=i.label, category=None,
                                     amount=i.amount, frequency=i.frequency.value, position=pos))
    for pos, i in enumerate(c.expenses, start=len(c.income)):
        case.items.append(BudgetItem(
            direction="expense", label=i.label,
            category=i.category.value if i.category else None,
            amount=i.amount, frequency=i.frequency.value, position=pos))
    for pos, d in enumerate(c.debts):
        case.debts.append(Debt(
            ref=d.id, creditor=d.creditor, creditor_address=d.creditor_address,
            creditor_email=d.creditor_email, creditor_phone=d.creditor_phone,
            account_ref=d.account_ref, account_ref_unknown=d.account_ref_unknown,
            kind=d.kind.value, balance=d.balance, apr=d.apr,
            contractual_payment=d.contractual_payment, days_overdue=d.days_overdue,
            priority=d.priority, position=pos))
    return case


def default_start(today: date) -> date:
    """The first of next month: a sensible first payment date for a new case."""
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)
