"""The case as the domain sees it: immutable dataclasses over Decimal and date.

These mirror the case file (``parley-case/1``, see ``casefile.py``) plus the
optional extensions Parley adds (borrower contact, creditor address, account
reference...). The database models in ``webapp.models`` are converted to these
by the services; the engine only ever sees these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Frequency(StrEnum):
    """How often a budget item is paid or received."""

    #: every week (× 52 / 12 a month)
    WEEKLY = "weekly"
    #: every two weeks (× 26 / 12 a month)
    FORTNIGHTLY = "fortnightly"
    #: every four weeks (× 13 / 12 a month)
    FOUR_WEEKLY = "four_weekly"
    #: once a month
    MONTHLY = "monthly"
    #: every three months (÷ 3 a month)
    QUARTERLY = "quarterly"
    #: once a year (÷ 12 a month)
    YEARLY = "yearly"


class ExpenseCategory(StrEnum):
    """Spending groups in the spirit of the UK Standard Financial Statement."""

    #: rent or mortgage, service charges, ground rent
    HOUSING = "housing"
    #: gas, electricity, water, council tax
    UTILITIES = "utilities"
    #: food and housekeeping
    FOOD = "food"
    #: fares, fuel, car costs
    TRANSPORT = "transport"
    #: school costs, uniforms, childcare
    SCHOOL = "school"
    #: care and health costs
    CARE_HEALTH = "care_health"
    #: pensions and insurance
    INSURANCE = "insurance"
    #: phone, internet, TV
    COMMUNICATIONS = "communications"
    #: clothing, hairdressing, personal items
    PERSONAL = "personal"
    #: anything else
    OTHER = "other"


class DebtKind(StrEnum):
    """What sort of debt; the first seven are priority debts by default."""

    MORTGAGE = "mortgage"
    SECURED_LOAN = "secured_loan"
    RENT_ARREARS = "rent_arrears"
    COUNCIL_TAX = "council_tax"
    UTILITY = "utility"
    TAX = "tax"
    CHILD_SUPPORT = "child_support"
    CREDIT_CARD = "credit_card"
    PERSONAL_LOAN = "personal_loan"
    ONLINE_LOAN = "online_loan"
    BNPL = "bnpl"
    OVERDRAFT = "overdraft"
    OTHER = "other"


#: Debts whose non-payment has severe consequences (losing the home, the
#: power, prison, seizure): paid first, at their contractual amount.
PRIORITY_KINDS = frozenset(
    {
        DebtKind.MORTGAGE,
        DebtKind.SECURED_LOAN,
        DebtKind.RENT_ARREARS,
        DebtKind.COUNCIL_TAX,
        DebtKind.UTILITY,
        DebtKind.TAX,
        DebtKind.CHILD_SUPPORT,
    }
)

JURISDICTIONS = ("CN", "US", "GB", "other")


class Holder(StrEnum):
    """Who holds a debt and asks for payment: it decides which collection laws
    apply (US: the FDCPA and Regulation F bind collectors and debt buyers, not
    the lender that gave the credit) and so which letters and citations fit."""

    #: the lender or supplier that gave the credit (the default)
    ORIGINAL_CREDITOR = "original_creditor"
    #: an agency collecting the debt for the creditor, which still owns it
    COLLECTION_AGENCY = "collection_agency"
    #: a company that bought the debt and collects it for itself
    DEBT_BUYER = "debt_buyer"


@dataclass(frozen=True)
class Household:
    adults: int = 1
    children: int = 0
    #: whether the household runs a car (None: not said). Some spending
    #: guidelines differ with a car (transport); they are not checked until said.
    car: bool | None = None


@dataclass(frozen=True)
class Borrower:
    """Who writes the letters. Every field optional (the case file stays portable)."""

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    #: an identity document number (CN: the 18-character 居民身份证号码). Printed in
    #: full only in the letter itself; every page shows it masked (``identity.mask``).
    id_number: str = ""


@dataclass(frozen=True)
class BudgetItem:
    """An income or an expense. ``category`` is None for income."""

    label: str
    amount: Decimal
    frequency: Frequency
    category: ExpenseCategory | None = None


@dataclass(frozen=True)
class Debt:
    id: str
    creditor: str
    kind: DebtKind
    balance: Decimal
    apr: Decimal
    contractual_payment: Decimal
    #: None: decided by ``kind``; True/False: the user's override
    priority: bool | None = None
    days_overdue: int | None = None
    account_ref: str = ""
    creditor_address: str = ""
    creditor_email: str = ""
    creditor_phone: str = ""
    #: who holds the debt now (the letters go to them)
    holder: Holder = Holder.ORIGINAL_CREDITOR
    #: priority debts only: how much of ``balance`` is arrears (missed payments),
    #: paid off by ``arrears_payment`` a month on top of ``contractual_payment``
    #: (the ongoing payment). None: not given (see ``budget.priority_payments_by_month``).
    arrears: Decimal | None = None
    arrears_payment: Decimal | None = None
    #: the borrower has no account reference for this debt and says so: letters
    #: ask the creditor to find the account by name and address instead
    account_ref_unknown: bool = False

    @property
    def is_priority(self) -> bool:
        """The override if given, else whether ``kind`` is a priority kind."""
        if self.priority is not None:
            return self.priority
        return self.kind in PRIORITY_KINDS


class ProRataBasis(StrEnum):
    """What a pro-rata split is in proportion to (DOMAIN.md: "make the basis switchable")."""

    #: each debt's balance (National Debtline, most councils' money advice)
    BALANCE = "balance"
    #: each debt's contractual monthly payment (StepChange); a debt without one
    #: is weighted by an estimate, a share of its balance (see strategies.pro_rata)
    CONTRACTUAL = "contractual"


@dataclass(frozen=True)
class Options:
    #: the smallest monthly offer worth making to any creditor
    min_offer: Decimal = Decimal("1")
    #: what pro-rata offers are in proportion to
    pro_rata_basis: ProRataBasis = ProRataBasis.BALANCE
    #: the longest term the term-extension strategy proposes (None: the default,
    #: 60 months or the jurisdiction's limit if smaller)
    term_months: int | None = None
    #: the APR (nominal annual %) proposed for the term extension
    term_apr: Decimal = Decimal(0)
    #: how many days a creditor is given to answer a letter (``reply_by``)
    reply_days: int = 30
    #: the monthly token payment to each creditor (None: the jurisdiction's
    #: default, see ``strategies.token.token_amount``)
    token_offer: Decimal | None = None
    #: a settlement below this share of a balance (percent) is unlikely to be
    #: accepted (``strategies.settlement.DEFAULT_FLOOR`` and its sources)
    settlement_floor: Decimal = Decimal(30)


@dataclass(frozen=True)
class Event:
    """One step of a negotiation (``negotiations[].events[]``).

    Which fields matter depends on ``type`` (see ``webapp.domain.negotiation``):
    ``letter``/``offer_monthly`` for ``sent``, ``monthly`` for ``counter_offer``
    and ``accepted`` (with ``first_payment`` and ``total``), ``amount`` for
    ``payment``. The others stay None.
    """

    on: date
    type: str
    channel: str = ""
    notes: str = ""
    letter: str | None = None
    offer_monthly: Decimal | None = None
    monthly: Decimal | None = None
    first_payment: date | None = None
    total: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class NegotiationRecord:
    """Everything that happened with the creditor of one debt, in date order."""

    debt_id: str
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Contact:
    """One contact by a collector (``contacts[]``): evidence for the rules."""

    #: the borrower's local date-time, with its UTC offset as written
    at: datetime
    channel: str
    party: str
    connected: bool = False
    debt_id: str | None = None
    collector: str = ""
    notes: str = ""

    @property
    def caller(self) -> str:
        """Who is counted as the caller: the debt when given, else the collector's name."""
        return self.debt_id if self.debt_id is not None else self.collector


@dataclass(frozen=True)
class Case:
    currency: str
    jurisdiction: str
    start_date: date
    household: Household = field(default_factory=Household)
    income: tuple[BudgetItem, ...] = ()
    expenses: tuple[BudgetItem, ...] = ()
    debts: tuple[Debt, ...] = ()
    lump_sum: Decimal | None = None
    options: Options = field(default_factory=Options)
    #: extensions (optional in the file)
    title: str = ""
    language: str = ""
    borrower: Borrower = field(default_factory=Borrower)
    #: where ``lump_sum`` comes from, in the borrower's words ("" = not said)
    lump_sum_source: str = ""
    #: the negotiation record and the collection-contact log (optional blocks)
    negotiations: tuple[NegotiationRecord, ...] = ()
    contacts: tuple[Contact, ...] = ()
    #: why spending in a category is what it is, in the borrower's words:
    #: (category, text) pairs in ExpenseCategory order (the budget statement says them)
    spending_reasons: tuple[tuple[str, str], ...] = ()

    @property
    def reasons(self) -> dict[str, str]:
        """``spending_reasons`` as a dict, category → text."""
        return dict(self.spending_reasons)

    @property
    def priority_debts(self) -> tuple[Debt, ...]:
        return tuple(d for d in self.debts if d.is_priority)

    @property
    def non_priority_debts(self) -> tuple[Debt, ...]:
        """Non-priority debts with something left to pay: what strategies work on."""
        return tuple(d for d in self.debts if not d.is_priority and d.balance > 0)
