"""Case use cases: create, edit, budget items, debts, import and export.

Concurrent requests (two browsers, a double click) are handled here, where the
transactions are: saves are versioned (``services.concurrency``), an "add" is
idempotent per form and retries a ref another add took, and a lost race is a
:class:`~webapp.services.concurrency.Conflict`, never a 500.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..domain import model as dm
from ..domain.budget import BudgetSummary, summarise
from ..domain.errors import FieldError, ValidationError
from ..domain.limits import MAX_DEBTS, MAX_EXPENSE_ITEMS, MAX_INCOME_ITEMS, too_many
from ..domain.text import clean
from ..extensions import db
from ..models import (
    BudgetItem,
    Case,
    CollectionContact,
    Debt,
    NegotiationEvent,
    SpendingReason,
    User,
)
from ..models.types import now_utc
from . import uploads
from .concurrency import Conflict, check_version, exists, saving

CASE_FIELDS = (
    "title", "currency", "jurisdiction", "start_date", "adults", "children", "language",
    "lump_sum", "lump_sum_source", "min_offer", "pro_rata_basis", "term_months", "term_apr",
    "token_offer", "borrower_name", "borrower_address", "borrower_email", "borrower_phone",
    "borrower_id_number", "has_car", "settlement_floor",
)
ITEM_FIELDS = ("label", "category", "amount", "frequency")
DEBT_FIELDS = (
    "creditor", "creditor_address", "creditor_email", "creditor_phone", "account_ref",
    "account_ref_unknown", "kind", "balance", "apr", "contractual_payment", "days_overdue",
    "priority", "arrears", "arrears_payment", "holder",
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


def etag_for(case: Case) -> str:
    """The entity tag of the case file: it changes whenever the case's own fields
    (``version``), its budget or debts (``revision``) or anything else in the
    case file (``changes``: replies, payments, contacts) change. The JSON API's
    ETag/If-Match uses it, as the edit forms use ``version``."""
    return f'"{case.version}.{case.revision}.{case.changes}"'


def _touch(case: Case) -> None:
    """The budget or debts changed: saved proposals become out of date.

    ``revision + 1`` in SQL, so two changes at once count twice (a Python
    ``+ 1`` would count one); a plain UPDATE, not the ORM's, so the case's
    ``version`` stays: a case form left open is not made stale by a debt edit.
    Called after the row's own change is flushed: every writer locks the child
    row first and the case row second, so two of them cannot deadlock.
    """
    cases = Case.__table__
    db.session.execute(update(cases).where(cases.c.id == case.id).values(
        revision=cases.c.revision + 1, updated_at=now_utc()))
    db.session.expire(case, ["revision", "updated_at"])


def update_case(case: Case, *, expected_version: int | None = None, **values) -> None:
    """Save the case's own fields; :class:`Conflict` if the form was loaded at
    an older version than the stored one, or the case changed meanwhile."""
    check_version(case, expected_version, "case")
    with saving(case, "case"):
        _apply(case, CASE_FIELDS, values)
        # One versioned UPDATE: the fields, the revision (in SQL) and the version.
        case.revision = Case.revision + 1
        case.updated_at = now_utc()


def delete_case(case: Case) -> None:
    """Delete the case and everything in it; its uploaded files go after the
    rows are committed (``services.uploads``: a failure leaves an orphan file
    for the sweep, never a row without its file)."""
    keys = uploads.keys_for(case)
    with saving(case, "case"):
        db.session.delete(case)
    uploads.remove_files(keys)


#: The case-file list and the limit for each kind of row (domain/limits.py).
ITEM_LIMITS = {"income": ("income", MAX_INCOME_ITEMS, "income items"),
               "expense": ("expenses", MAX_EXPENSE_ITEMS, "expense items")}


def check_room(case: Case, what: str) -> None:
    """Refuse a new row the case has no room for (``debts: at most 100 debts``), so
    that every case the web app holds is one the case-file parser accepts."""
    if what == "debt":
        path, limit, name = "debts", MAX_DEBTS, "debts"
        count = len(case.debts)
    else:
        path, limit, name = ITEM_LIMITS[what]
        count = sum(1 for i in case.items if i.direction == what)
    if message := too_many(count + 1, limit, name):
        raise ValidationError([FieldError(path, message)])


#: How often an "add" starts again when a concurrent add took the ref it chose.
ADD_ATTEMPTS = 5


def _submitted(model: type, case_id: int, form_token: str | None):
    """The row an earlier post of the same add form saved, if any."""
    if not form_token:
        return None
    return db.session.scalar(
        select(model).where(model.case_id == case_id, model.form_token == form_token))


def _add(case: Case, model: type, form_token: str | None, build: Callable[[int], Any]):
    """Insert the row ``build(case_id)`` makes, at most once per form token.

    A double-clicked "add" posts the same form twice, often at the same moment.
    The form carries a one-time token, unique per case in the database: the
    second insert fails, and the second request answers with the row the first
    saved, as if it had saved it (idempotent, so the user sees one success and
    one row). An insert that fails for a ref another add just took is built
    again with a fresh ref. Either way no 500, and nothing half-saved.
    """
    case_id = case.id
    for _attempt in range(ADD_ATTEMPTS):
        earlier = _submitted(model, case_id, form_token)
        if earlier is not None:
            return earlier
        row = build(case_id)
        row.form_token = form_token
        db.session.add(row)
        try:
            db.session.flush()
            _touch(case)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if not exists(Case, case_id):
                raise Conflict("case", deleted=True) from None
            continue
        return row
    raise Conflict("case")


def _count(model: type, case_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(
        model.case_id == case_id)) or 0


def add_item(case: Case, direction: str, *, form_token: str | None = None,
             **values) -> BudgetItem:
    check_room(case, direction)

    def build(case_id: int) -> BudgetItem:
        item = BudgetItem(case_id=case_id, direction=direction,
                          position=_count(BudgetItem, case_id))
        _apply(item, ITEM_FIELDS, values)
        if direction == "income":
            item.category = None
        return item

    return _add(case, BudgetItem, form_token, build)


def update_item(item: BudgetItem, *, expected_version: int | None = None, **values) -> None:
    check_version(item, expected_version, "item")
    case = item.case
    with saving(item, "item"):
        _apply(item, ITEM_FIELDS, values)
        if item.direction == "income":
            item.category = None
        db.session.flush()
        _touch(case)


def delete_item(item: BudgetItem) -> None:
    case = item.case
    with saving(item, "item"):
        db.session.delete(item)
        db.session.flush()
        _touch(case)


def _next_ref(case_id: int, creditor: str) -> str:
    """A readable, unique case-file id for a new debt: ``barclays``, ``barclays-2``.

    Read from the database, not from the case loaded at the start of the
    request: a concurrent add may have taken a ref since.
    """
    base = re.sub(r"[^a-z0-9]+", "-", creditor.lower()).strip("-")[:30] or "debt"
    taken = set(db.session.scalars(select(Debt.ref).where(Debt.case_id == case_id)))
    ref, n = base, 2
    while ref in taken:
        ref, n = f"{base}-{n}", n + 1
    return ref


def add_debt(case: Case, *, form_token: str | None = None, **values) -> Debt:
    """Add a debt at most once per form token; ValidationError when the case is full."""
    check_room(case, "debt")

    def build(case_id: int) -> Debt:
        debt = Debt(case_id=case_id, position=_count(Debt, case_id))
        _apply(debt, DEBT_FIELDS, values)
        debt.ref = _next_ref(case_id, debt.creditor)
        return debt

    return _add(case, Debt, form_token, build)


def update_debt(debt: Debt, *, expected_version: int | None = None, **values) -> None:
    check_version(debt, expected_version, "debt")
    case = debt.case
    with saving(debt, "debt"):
        _apply(debt, DEBT_FIELDS, values)
        db.session.flush()
        _touch(case)


def delete_debt(debt: Debt) -> None:
    """Delete a debt; refused (ValidationError) when it has a negotiation record
    or sent letters: deleting it would silently lose the evidence."""
    case = debt.case
    if any(e.debt_ref == debt.ref for e in case.negotiation_events) or any(
            x.debt_ref == debt.ref and x.is_sent for x in case.letters):
        from ..domain.errors import FieldError, ValidationError

        raise ValidationError([FieldError(
            "debt", "this debt has letters sent or replies recorded: it cannot be deleted, "
                    "so that its history is kept")])
    with saving(debt, "debt"):
        db.session.delete(debt)
        db.session.flush()
        _touch(case)


# --- the domain view -------------------------------------------------------


def to_domain(case: Case) -> dm.Case:
    """The case as the pure engine sees it.

    Text goes through :func:`~webapp.domain.text.clean`: rows saved before the
    one text rule existed may hold a control character, which must not make the
    export (or a proposal's snapshot) unreadable for ever.
    """
    def item(i: BudgetItem) -> dm.BudgetItem:
        category = dm.ExpenseCategory(i.category) if i.category else None
        return dm.BudgetItem(clean(i.label), i.amount, dm.Frequency(i.frequency), category)

    debts = tuple(
        dm.Debt(
            id=d.ref, creditor=clean(d.creditor), kind=dm.DebtKind(d.kind), balance=d.balance,
            apr=d.apr, contractual_payment=d.contractual_payment, priority=d.priority,
            days_overdue=d.days_overdue, account_ref=clean(d.account_ref or ""),
            creditor_address=clean(d.creditor_address or ""),
            creditor_email=clean(d.creditor_email or ""),
            creditor_phone=clean(d.creditor_phone or ""), arrears=d.arrears,
            arrears_payment=d.arrears_payment,
            holder=dm.Holder(d.holder or dm.Holder.ORIGINAL_CREDITOR),
            account_ref_unknown=bool(d.account_ref_unknown) and not (d.account_ref or "").strip(),
        )
        for d in case.debts
    )
    return dm.Case(
        currency=case.currency,
        jurisdiction=case.jurisdiction,
        start_date=case.start_date,
        household=dm.Household(case.adults, case.children, case.has_car),
        income=tuple(item(i) for i in case.income),
        expenses=tuple(item(i) for i in case.expenses),
        debts=debts,
        lump_sum=case.lump_sum,
        lump_sum_source=case.lump_sum_source or "",
        options=dm.Options(
            min_offer=case.min_offer,
            pro_rata_basis=dm.ProRataBasis(case.pro_rata_basis or "balance"),
            term_months=case.term_months,
            # Numeric(8, 4) reads back as 4.5000: export it as it was typed, 4.5.
            term_apr=(case.term_apr or Decimal(0)).normalize(),
            reply_days=case.reply_days or 30,
            token_offer=case.token_offer,
            settlement_floor=dm.Options().settlement_floor if case.settlement_floor is None
            else case.settlement_floor,
        ),
        title=clean(case.title or ""),
        language=case.language or "",
        borrower=dm.Borrower(
            *(clean(x or "") for x in (case.borrower_name, case.borrower_address,
                                       case.borrower_email, case.borrower_phone,
                                       case.borrower_id_number)),
        ),
        negotiations=negotiation_records(case),
        contacts=tuple(domain_contact(c) for c in case.collection_contacts),
        spending_reasons=spending_reasons(case),
    )


def spending_reasons(case: Case) -> tuple[tuple[str, str], ...]:
    """The case's reasons per category, in ExpenseCategory order (the case file's)."""
    by_category = {r.category: clean(r.text) for r in case.spending_reasons if r.text.strip()}
    return tuple((c.value, by_category[c.value]) for c in dm.ExpenseCategory
                 if c.value in by_category)


def domain_contact(c: CollectionContact) -> dm.Contact:
    from datetime import datetime

    return dm.Contact(at=datetime.fromisoformat(c.at), channel=c.channel, party=c.party,
                      connected=bool(c.connected), debt_id=c.debt_ref,
                      collector=c.collector or "", notes=c.notes or "")


def contact_row(c: dm.Contact, position: int) -> CollectionContact:
    from datetime import UTC

    return CollectionContact(position=position, at=c.at.isoformat(), at_utc=c.at.astimezone(UTC),
                             channel=c.channel, party=c.party, connected=c.connected,
                             debt_ref=c.debt_id, collector=c.collector, notes=c.notes)


def domain_event(e: NegotiationEvent) -> dm.Event:
    return dm.Event(on=e.on, type=e.type, channel=e.channel or "", notes=e.notes or "",
                    letter=e.letter, offer_monthly=e.offer_monthly, monthly=e.monthly,
                    first_payment=e.first_payment, total=e.total, amount=e.amount)


def negotiation_records(case: Case) -> tuple[dm.NegotiationRecord, ...]:
    """The case's events as the case file's ``negotiations``: one per debt with
    events, in the order of the debts."""
    by_ref: dict[str, list[NegotiationEvent]] = {}
    for e in sorted(case.negotiation_events, key=lambda e: (e.position, e.id or 0)):
        by_ref.setdefault(e.debt_ref, []).append(e)
    return tuple(
        dm.NegotiationRecord(d.ref, tuple(domain_event(e) for e in by_ref[d.ref]))
        for d in case.debts if d.ref in by_ref
    )


def summary(case: Case, domain: dm.Case | None = None) -> BudgetSummary:
    """The budget's totals; ``domain``: ``to_domain(case)``, when the caller has it."""
    return summarise(domain or to_domain(case))


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


def case_values(c: dm.Case) -> dict:
    """The ``cases`` columns a case file sets."""
    return dict(
        title=c.title, currency=c.currency, jurisdiction=c.jurisdiction,
        start_date=c.start_date, adults=c.household.adults, children=c.household.children,
        language=c.language, lump_sum=c.lump_sum, lump_sum_source=c.lump_sum_source,
        min_offer=c.options.min_offer,
        pro_rata_basis=dm.ProRataBasis(c.options.pro_rata_basis).value,
        term_months=c.options.term_months, term_apr=c.options.term_apr,
        reply_days=c.options.reply_days, token_offer=c.options.token_offer,
        borrower_name=c.borrower.name, borrower_address=c.borrower.address,
        borrower_email=c.borrower.email, borrower_phone=c.borrower.phone,
        borrower_id_number=c.borrower.id_number,
        has_car=c.household.car,
        settlement_floor=None if c.options.settlement_floor == dm.Options().settlement_floor
        else c.options.settlement_floor,
    )


def child_rows(c: dm.Case) -> list:
    """The budget items, debts, negotiation events, contacts and spending reasons
    of a case file, as rows not yet attached to a case."""
    rows: list = [SpendingReason(category=category, text=text)
                  for category, text in c.spending_reasons]
    for pos, i in enumerate(c.income):
        rows.append(BudgetItem(direction="income", label=i.label, category=None,
                               amount=i.amount, frequency=i.frequency.value, position=pos))
    for pos, i in enumerate(c.expenses, start=len(c.income)):
        rows.append(BudgetItem(
            direction="expense", label=i.label,
            category=i.category.value if i.category else None,
            amount=i.amount, frequency=i.frequency.value, position=pos))
    for pos, d in enumerate(c.debts):
        rows.append(Debt(
            ref=d.id, creditor=d.creditor, creditor_address=d.creditor_address,
            creditor_email=d.creditor_email, creditor_phone=d.creditor_phone,
            account_ref=d.account_ref, account_ref_unknown=d.account_ref_unknown,
            kind=d.kind.value, balance=d.balance, apr=d.apr,
            contractual_payment=d.contractual_payment, days_overdue=d.days_overdue,
            priority=d.priority, arrears=d.arrears, arrears_payment=d.arrears_payment,
            holder=dm.Holder(d.holder).value, position=pos))
    for record in c.negotiations:
        for pos, e in enumerate(record.events):
            rows.append(NegotiationEvent(
                debt_ref=record.debt_id, position=pos, on=e.on, type=e.type, channel=e.channel,
                notes=e.notes, letter=e.letter, offer_monthly=e.offer_monthly, monthly=e.monthly,
                first_payment=e.first_payment, total=e.total, amount=e.amount))
    for pos, contact in enumerate(c.contacts):
        rows.append(contact_row(contact, pos))
    return rows


#: Which collection of a case each kind of child row goes into.
_COLLECTIONS = {BudgetItem: "items", Debt: "debts", NegotiationEvent: "negotiation_events",
                CollectionContact: "collection_contacts", SpendingReason: "spending_reasons"}


def from_domain(owner: User, c: dm.Case) -> Case:
    case = Case(owner_id=owner.id, updated_at=now_utc(), **case_values(c))
    for row in child_rows(c):
        getattr(case, _COLLECTIONS[type(row)]).append(row)
    return case


def default_start(today: date) -> date:
    """The first of next month: a sensible first payment date for a new case."""
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)
