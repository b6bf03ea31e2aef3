"""The case aggregate: a household's budget and debts, owned by one user.

Amounts are ``Numeric(14, 2)`` next to the case's ``currency``. ``revision`` is
bumped by every change to the case, its budget or debts, so a saved proposal can
tell it is out of date without comparing snapshots.

``version`` is the optimistic lock of one row (SQLAlchemy's ``version_id_col``):
every UPDATE or DELETE of the row through the ORM says ``WHERE version = <the
version loaded>`` and bumps it, so a save based on an older read matches no row
and fails (``StaleDataError``) instead of silently overwriting. A case's version
counts changes to the case's own fields; a change to its budget or debts bumps
``revision`` only (``services.cases``), so editing a debt does not make an open
case form stale. Neither moves when a reply or a contact is recorded (a
proposal is not out of date because a creditor answered), so ``changes``
counts every change to the case file, whatever its kind (``models.changes``);
the three together are the case's ETag (``services.cases.etag_for``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .types import NEVER_REUSE_IDS, Money, Rate, UTCDateTime, new_public_id, now_utc


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = dict(NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120), default="")
    currency: Mapped[str] = mapped_column(String(3))
    jurisdiction: Mapped[str] = mapped_column(String(8))
    start_date: Mapped[date] = mapped_column(Date)
    adults: Mapped[int] = mapped_column(default=1)
    children: Mapped[int] = mapped_column(default=0)
    #: the language letters are written in by default ("" = the user's)
    language: Mapped[str] = mapped_column(String(10), default="")
    lump_sum: Mapped[Decimal | None] = mapped_column(Money, default=None)
    #: where the lump sum comes from, in the borrower's words (settlement letters say
    #: it): often family ("a loan from my mother"), so encrypted like the notes
    lump_sum_source: Mapped[str] = mapped_column(EncryptedText, default="", server_default="")
    min_offer: Mapped[Decimal] = mapped_column(Money, default=Decimal("1.00"))
    #: what pro-rata offers are in proportion to: "balance" or "contractual"
    pro_rata_basis: Mapped[str] = mapped_column(String(12), default="balance")
    #: the longest term to propose for a term extension (None: the default)
    term_months: Mapped[int | None] = mapped_column(default=None)
    #: the APR (%) to propose for a term extension
    term_apr: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    #: days a creditor is given to answer a letter (the status's reply-by date)
    reply_days: Mapped[int] = mapped_column(default=30, server_default="30")
    #: the monthly token payment to each creditor (None: the jurisdiction's default)
    token_offer: Mapped[Decimal | None] = mapped_column(Money, default=None)
    #: whether the household runs a car (None: not said); some spending guidelines
    #: (transport) depend on it
    has_car: Mapped[bool | None] = mapped_column(default=None)
    #: a settlement below this percentage of a balance is marked unlikely to be
    #: accepted (None: the default, 30)
    settlement_floor: Mapped[Decimal | None] = mapped_column(Numeric(5, 2), default=None)
    # Sensitive contact data, encrypted at rest (webapp.crypto): never searched
    # or sorted by, since the stored tokens say nothing about the values.
    borrower_name: Mapped[str] = mapped_column(EncryptedText, default="")
    borrower_address: Mapped[str] = mapped_column(EncryptedText, default="")
    borrower_email: Mapped[str] = mapped_column(EncryptedText, default="")
    borrower_phone: Mapped[str] = mapped_column(EncryptedText, default="")
    #: identity document number (CN: 身份证号码); pages show it masked
    borrower_id_number: Mapped[str] = mapped_column(EncryptedText, default="",
                                                    server_default="")
    revision: Mapped[int] = mapped_column(default=1)
    #: the row's optimistic lock: bumped by every save of the case's own fields
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: bumped by every change to anything in the case file (its fields, budget,
    #: debts, negotiation events, contacts), whoever makes it (``models.changes``):
    #: with ``version`` and ``revision`` it is the case's ETag
    changes: Mapped[int] = mapped_column(default=1, server_default="1")
    #: bumped after every write to the case or anything of it but its audit log
    #: (letters, proposals, jobs... too): the key of its cached pages
    #: (``models.page_version``, ``page_cache``)
    page_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc)

    __mapper_args__ = {"version_id_col": version}

    owner = relationship("User")
    items: Mapped[list[BudgetItem]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        order_by="(BudgetItem.position, BudgetItem.id)",
    )
    debts: Mapped[list[Debt]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="(Debt.position, Debt.id)"
    )
    proposals = relationship(
        "Proposal", back_populates="case", cascade="all, delete-orphan", order_by="Proposal.id"
    )
    spending_reasons = relationship(
        "SpendingReason", back_populates="case", cascade="all, delete-orphan",
        order_by="SpendingReason.category")

    @property
    def income(self) -> list[BudgetItem]:
        return [i for i in self.items if i.direction == "income"]

    @property
    def expenses(self) -> list[BudgetItem]:
        return [i for i in self.items if i.direction == "expense"]



class BudgetItem(db.Model):
    __tablename__ = "budget_items"
    __table_args__ = (
        UniqueConstraint("case_id", "form_token", name="uq_budget_items_form_token"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: "income" or "expense"
    direction: Mapped[str] = mapped_column(String(8))
    label: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(20), default=None)
    amount: Mapped[Decimal] = mapped_column(Money)
    frequency: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(default=0)
    #: the optimistic lock of the row (see the module's docstring)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: the add form's one-time token: a double-clicked "add" saves one item
    form_token: Mapped[str | None] = mapped_column(String(64), default=None)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="items")


class Debt(db.Model):
    __tablename__ = "debts"
    __table_args__ = (
        UniqueConstraint("case_id", "ref", name="uq_debts_case_ref"),
        UniqueConstraint("case_id", "form_token", name="uq_debts_form_token"),
        dict(NEVER_REUSE_IDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: the debt's id in the case file: stable across export and import
    ref: Mapped[str] = mapped_column(String(40))
    creditor: Mapped[str] = mapped_column(String(300))
    # Encrypted at rest (webapp.crypto); pages show the account reference masked.
    creditor_address: Mapped[str] = mapped_column(EncryptedText, default="")
    creditor_email: Mapped[str] = mapped_column(EncryptedText, default="")
    creditor_phone: Mapped[str] = mapped_column(EncryptedText, default="")
    account_ref: Mapped[str] = mapped_column(EncryptedText, default="")
    #: the borrower has no account reference and says so (letters then ask the
    #: creditor to find the account by name and address)
    account_ref_unknown: Mapped[bool] = mapped_column(
        default=False, server_default=sa_false())
    kind: Mapped[str] = mapped_column(String(20))
    balance: Mapped[Decimal] = mapped_column(Money)
    apr: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    contractual_payment: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    days_overdue: Mapped[int | None] = mapped_column(default=None)
    #: None: decided by kind; True/False: the user's override
    priority: Mapped[bool | None] = mapped_column(default=None)
    #: priority debts: the arrears within the balance and the monthly catch-up
    #: payment on top of the contractual (ongoing) payment; None: not given
    arrears: Mapped[Decimal | None] = mapped_column(Money, default=None)
    arrears_payment: Mapped[Decimal | None] = mapped_column(Money, default=None)
    #: who holds the debt: original_creditor, collection_agency or debt_buyer
    holder: Mapped[str] = mapped_column(
        String(20), default="original_creditor", server_default="original_creditor"
    )
    position: Mapped[int] = mapped_column(default=0)
    #: the optimistic lock of the row (see the module's docstring)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: the add form's one-time token: a double-clicked "add" saves one debt
    form_token: Mapped[str | None] = mapped_column(String(64), default=None)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="debts")
