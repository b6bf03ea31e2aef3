"""Forms for cases, budget items and debts."""

import json
import re
import secrets
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ...domain.casefile import TERM_APR_MAX, arrears_problems
from ...domain.model import (
    PRIORITY_KINDS,
    Debt,
    DebtKind,
    ExpenseCategory,
    Frequency,
    Holder,
    ProRataBasis,
)
from ...domain.strategies.pro_rata import ESTIMATED_PAYMENT_PERCENT
from ...domain.strategies.term import DEFAULT_TERM, TERM_LIMITS, term_limit
from ...forms import (
    BaseForm,
    BoundedInteger,
    DecimalText,
    PlanDate,
    TextArea,
    choice_validator,
    options,
)
from ...i18n import JURISDICTION_CURRENCY
from ...services.concurrency import parse_version

CURRENCIES = ["CNY", "USD", "GBP", "EUR", "HKD", "CAD", "AUD", "JPY", "SGD", "INR"]
JURISDICTIONS = [("CN", _l("China")), ("US", _l("United States")),
                 ("GB", _l("United Kingdom")), ("other", _l("Other"))]
FREQUENCIES = [
    (Frequency.WEEKLY.value, _l("weekly")),
    (Frequency.FORTNIGHTLY.value, _l("every two weeks")),
    (Frequency.FOUR_WEEKLY.value, _l("every four weeks")),
    (Frequency.MONTHLY.value, _l("monthly")),
    (Frequency.QUARTERLY.value, _l("quarterly")),
    (Frequency.YEARLY.value, _l("yearly")),
]
CATEGORIES = [
    (ExpenseCategory.HOUSING.value, _l("Housing")),
    (ExpenseCategory.UTILITIES.value, _l("Utilities")),
    (ExpenseCategory.FOOD.value, _l("Food and housekeeping")),
    (ExpenseCategory.TRANSPORT.value, _l("Transport")),
    (ExpenseCategory.SCHOOL.value, _l("School and childcare")),
    (ExpenseCategory.CARE_HEALTH.value, _l("Care and health")),
    (ExpenseCategory.INSURANCE.value, _l("Pensions and insurance")),
    (ExpenseCategory.COMMUNICATIONS.value, _l("Communications and leisure")),
    (ExpenseCategory.PERSONAL.value, _l("Personal costs")),
    (ExpenseCategory.OTHER.value, _l("Other")),
]
KIND_NAMES = {
    DebtKind.CREDIT_CARD.value: _l("Credit card"),
    DebtKind.PERSONAL_LOAN.value: _l("Personal loan"),
    DebtKind.ONLINE_LOAN.value: _l("Online loan"),
    DebtKind.BNPL.value: _l("Buy now, pay later"),
    DebtKind.OVERDRAFT.value: _l("Overdraft"),
    DebtKind.MORTGAGE.value: _l("Mortgage"),
    DebtKind.SECURED_LOAN.value: _l("Secured loan"),
    DebtKind.RENT_ARREARS.value: _l("Rent arrears"),
    DebtKind.COUNCIL_TAX.value: _l("Council tax"),
    DebtKind.UTILITY.value: _l("Gas, electricity, water"),
    DebtKind.TAX.value: _l("Tax"),
    DebtKind.CHILD_SUPPORT.value: _l("Child support"),
    DebtKind.OTHER.value: _l("Other"),
}
KINDS = [
    (code, _l("%(kind)s (priority)", kind=name) if DebtKind(code) in PRIORITY_KINDS else name)
    for code, name in KIND_NAMES.items()
]
#: Kinds of debt that exist only in some jurisdictions: council tax is British.
KIND_JURISDICTIONS = {DebtKind.COUNCIL_TAX.value: {"GB"}}


def kinds_for(jurisdiction: str | None, keep: str | None = None) -> list[tuple[str, object]]:
    """The kinds of debt to offer in a case of this jurisdiction; ``keep`` is the
    debt's stored kind, always offered so editing an old debt never loses it."""
    return [(code, name) for code, name in KINDS
            if code == keep or jurisdiction in KIND_JURISDICTIONS.get(code, {jurisdiction})]


PRIORITY_CHOICES = [("auto", _l("Decide by kind")), ("yes", _l("Yes, priority")),
                    ("no", _l("No, not priority"))]
HOLDERS = [
    (Holder.ORIGINAL_CREDITOR.value, _l("The lender or company that gave me the credit")),
    (Holder.COLLECTION_AGENCY.value, _l("A collection agency, on the lender's behalf")),
    (Holder.DEBT_BUYER.value, _l("A company that bought the debt")),
]
#: Short names for the case page's list of debts (the original creditor goes unsaid).
HOLDER_NAMES = [
    (Holder.COLLECTION_AGENCY.value, _l("with a collection agency")),
    (Holder.DEBT_BUYER.value, _l("sold to a debt buyer")),
]
LANGUAGES = [("", _l("Same as the interface")), ("en", "English"), ("zh_CN", "简体中文")]
PRO_RATA_BASES = [
    (ProRataBasis.BALANCE.value, _l("What you owe (balance)")),
    (ProRataBasis.CONTRACTUAL.value, _l("The contractual monthly payments")),
]


#: Whether the household runs a car: not said, yes, no (the case's ``has_car``).
CAR_CHOICES = [("", _l("Not said")), ("yes", _l("Yes")), ("no", _l("No"))]
CAR_VALUES = {"": None, "yes": True, "no": False}
CAR_FORM = {None: "", True: "yes", False: "no"}

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


class Versioned:
    """An edit form that carries the version of the row it was loaded from, so a
    save based on an older version is refused instead of overwriting."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        return parse_version(self.version.data)


class OneTime:
    """An add form with a one-time token: posted twice (a double click), it saves once."""

    form_token = HiddenField(default=new_form_token)

    def token(self) -> str | None:
        """The posted token, or None when it is missing or not one of ours."""
        data = self.form_token.data or ""
        return data if _TOKEN.fullmatch(data) else None


class CaseForm(Versioned, BaseForm):
    title = StringField(_l("Name of the case"), validators=[Length(max=120)],
                        description=_l("For you only, e.g. 'Our household 2027'."))
    currency = SelectField(_l("Currency"), choices=options([(c, c) for c in CURRENCIES]))
    #: The currency the page showed. When the posted currency is still this one,
    #: the user did not choose it, and it follows the country (static/js/case-form.js
    #: does the same in the browser; this is the fallback without JavaScript).
    currency_shown = HiddenField()
    jurisdiction = SelectField(_l("Where you live"), choices=options(JURISDICTIONS),
                               render_kw={"data-currencies": json.dumps(JURISDICTION_CURRENCY)})
    start_date = PlanDate(_l("First payment date"))
    adults = BoundedInteger(_l("Adults in the household"), minimum=1, maximum=20, default=1)
    children = BoundedInteger(_l("Children in the household"), minimum=0, maximum=30, default=0)
    language = SelectField(_l("Language of letters"), choices=options(LANGUAGES), default="")
    lump_sum = DecimalText(_l("Money available once (optional)"), optional=True,
                           description=_l("For settlement offers: savings, a gift, a refund."))
    lump_sum_source = StringField(
        _l("Where this money comes from (optional)"), validators=[Length(max=300)],
        description=_l("Settlement letters say it in your words, e.g. 'a loan from my "
                       "parents that I do not have to repay'. Left empty, they do not say."))
    min_offer = DecimalText(_l("Smallest monthly offer to any creditor"),
                            default="1.00", minimum=Decimal("0.01"),
                            maximum=Decimal("1000000"))
    pro_rata_basis = SelectField(
        _l("Share fair-share (pro rata) offers in proportion to"),
        choices=options(PRO_RATA_BASES), default=ProRataBasis.BALANCE.value,
        description=_l("Most advisers share by balance. Sharing by the contractual monthly "
                       "payments is what StepChange does; a debt without one counts as "
                       "%(pct)s%% of its balance.", pct=ESTIMATED_PAYMENT_PERCENT))
    term_months = BoundedInteger(
        _l("Longest term for a longer-term plan (months, optional)"),
        minimum=1, maximum=max(TERM_LIMITS.values()), optional=True,
        description=_l("Leave empty for %(n)s months. At most 60 months in China and the "
                       "United States, 120 elsewhere.", n=DEFAULT_TERM))
    term_apr = DecimalText(
        _l("Interest rate to propose for a longer term (APR %)"), places=4,
        maximum=TERM_APR_MAX, default="0",
        description=_l("0 asks your creditors to stop charging interest."))
    token_offer = DecimalText(
        _l("Token payment to each creditor (optional)"), optional=True,
        minimum=Decimal("0.01"), maximum=Decimal("1000000"),
        description=_l("Only offered when your budget cannot fund real offers. Leave empty "
                       "for ¥100 in China (a ¥1 offer reads as bad faith to a Chinese bank) "
                       "and the smallest monthly offer elsewhere."))
    car = SelectField(
        _l("Do you run a car?"), choices=options(CAR_CHOICES), default="",
        validate_choice=False, validators=[choice_validator(dict(CAR_CHOICES))],
        description=_l("Some spending guidelines for transport depend on it."))
    settlement_floor = DecimalText(
        _l("Lowest settlement creditors take seriously, in percent of each balance (optional)"),
        optional=True, maximum=Decimal(100),
        description=_l("Leave empty for %(floor)s%%: below it a settlement offer is marked "
                       "unlikely to be accepted. Creditors usually settle at %(low)s to "
                       "%(high)s%% of the balance.", floor=30, low=40, high=60))
    borrower_name = StringField(_l("Your name, as on letters"), validators=[Length(max=300)])
    borrower_address = TextArea(_l("Your postal address"), validators=[Length(max=1000)])
    borrower_email = StringField(_l("Your e-mail"),
                                 validators=[Optional(), Email(), Length(max=254)])
    borrower_phone = StringField(_l("Your phone"), validators=[Length(max=40)])

    def values(self) -> dict:
        data = {name: self[name].data for name in (
            "title", "currency", "jurisdiction", "start_date", "adults", "children",
            "language", "borrower_name", "borrower_address", "borrower_email",
            "borrower_phone", "lump_sum_source")}
        for name in ("title", "borrower_name", "borrower_address", "borrower_email",
                     "borrower_phone", "lump_sum_source"):
            data[name] = (data[name] or "").strip()
        data["lump_sum"] = self.lump_sum.value
        data["min_offer"] = self.min_offer.value
        data["pro_rata_basis"] = self.pro_rata_basis.data
        data["term_months"] = self.term_months.data
        data["term_apr"] = self.term_apr.value
        data["currency"] = self.chosen_currency()
        data["token_offer"] = self.token_offer.value
        data["has_car"] = CAR_VALUES.get(self.car.data)
        data["settlement_floor"] = self.settlement_floor.value
        return data

    def show_currency(self, *, suggested: bool) -> None:
        """Remember the currency shown when Parley suggested it (a new case) or it
        is the country's own: it then follows a change of country. A currency the
        user picked on purpose does not."""
        own = JURISDICTION_CURRENCY.get(self.jurisdiction.data)
        keep = suggested or self.currency.data == own
        self.currency_shown.data = self.currency.data if keep else ""

    def chosen_currency(self) -> str:
        """The posted currency; the new country's own if the user left it as shown."""
        shown = self.currency_shown.data or ""
        if shown and self.currency.data == shown:
            return JURISDICTION_CURRENCY.get(self.jurisdiction.data, self.currency.data)
        return self.currency.data

    def validate_term_months(self, field) -> None:
        limit = term_limit(self.jurisdiction.data)
        if field.data is not None and not field.errors and field.data > limit:
            raise ValidationError(
                _l("At most %(n)s months where you live.", n=limit))


class ItemForm(Versioned, OneTime, BaseForm):
    # DataRequired, not InputRequired: "   " is stored stripped, and an empty
    # label is one the case file (and so the export) refuses.
    label = StringField(_l("What is it"), validators=[DataRequired(), Length(max=120)])
    amount = DecimalText(_l("Amount"))
    frequency = SelectField(_l("How often"), choices=options(FREQUENCIES), default="monthly")
    category = SelectField(_l("Category"), choices=options(CATEGORIES), default="other")

    def values(self, direction: str) -> dict:
        return {
            "label": self.label.data.strip(),
            "amount": self.amount.value,
            "frequency": self.frequency.data,
            "category": self.category.data if direction == "expense" else None,
        }


class DebtForm(Versioned, OneTime, BaseForm):
    creditor = StringField(_l("Creditor"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of debt"), choices=options(KINDS), default="credit_card")
    balance = DecimalText(_l("Balance owed"))
    apr = DecimalText(_l("Interest rate (APR %)"), places=4, maximum=Decimal("1000"),
                      default="0")
    contractual_payment = DecimalText(_l("Contractual monthly payment"), default="0")
    days_overdue = BoundedInteger(_l("Days overdue (optional)"), minimum=0, maximum=36500,
                                  optional=True)
    priority = SelectField(_l("Priority debt?"), choices=options(PRIORITY_CHOICES), default="auto",
                           description=_l("Priority debts (home, power, tax) are paid first."))
    arrears = DecimalText(
        _l("Arrears within the balance (priority debts, optional)"), optional=True,
        description=_l("What you are behind by, e.g. missed rent or car-loan payments."))
    arrears_payment = DecimalText(
        _l("Monthly payment towards the arrears (optional)"), optional=True,
        description=_l("Paid on top of the contractual payment until the arrears are "
                       "cleared; then the money goes to your other creditors."))
    holder = SelectField(
        _l("Who asks you to pay this debt now?"), choices=options(HOLDERS),
        default=Holder.ORIGINAL_CREDITOR.value,
        description=_l("Look at the last letter or statement you received. In the United "
                       "States the federal debt collection law (FDCPA) protects you from "
                       "collection agencies and debt buyers, not from the original lender: "
                       "Parley chooses the letters, and the laws they cite, by this answer."))
    account_ref = StringField(_l("Account or reference number"), validators=[Length(max=80)])
    creditor_address = TextArea(_l("Creditor's postal address"),
                                     validators=[Length(max=1000)])
    creditor_email = StringField(_l("Creditor's e-mail"),
                                 validators=[Optional(), Email(), Length(max=254)])
    creditor_phone = StringField(_l("Creditor's phone"),
                                 validators=[Length(max=40), Regexp(r"^[0-9+()\-. ]*$",
                                             message=_l("Digits, spaces and + ( ) - only."))])

    def __init__(self, *args, jurisdiction: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        stored = getattr(kwargs.get("obj"), "kind", None)
        self.kind.choices = options(kinds_for(jurisdiction, keep=stored))

    def values(self) -> dict:
        return {
            "creditor": self.creditor.data.strip(),
            "kind": self.kind.data,
            "balance": self.balance.value,
            "apr": self.apr.value,
            "contractual_payment": self.contractual_payment.value,
            "days_overdue": self.days_overdue.data,
            "priority": {"auto": None, "yes": True, "no": False}[self.priority.data],
            "arrears": self.arrears.value,
            "arrears_payment": self.arrears_payment.value,
            "holder": self.holder.data,
            "account_ref": (self.account_ref.data or "").strip(),
            "creditor_address": (self.creditor_address.data or "").strip(),
            "creditor_email": (self.creditor_email.data or "").strip(),
            "creditor_phone": (self.creditor_phone.data or "").strip(),
        }


    def validate(self, extra_validators=None) -> bool:
        """The field checks, then the arrears rules of the case file (one rule)."""
        if not super().validate(extra_validators):
            return False
        values = self.values()
        debt = Debt("x", values["creditor"], DebtKind(values["kind"]), self.balance.value,
                    self.apr.value, self.contractual_payment.value, values["priority"],
                    arrears=values["arrears"], arrears_payment=values["arrears_payment"])
        problems = arrears_problems(debt)
        for problem in problems:
            self[problem.path].errors.append(ARREARS_MESSAGES[problem.message])
        return not problems


#: The case file's arrears messages, as the form says them (translated).
ARREARS_MESSAGES = {
    "only priority debts have arrears planned here; other creditors' arrears are part of "
    "the offer": _l("Only for priority debts: other creditors' arrears are part of your offer."),
    "must be at most the balance": _l("Must be at most the balance."),
    "required with arrears: the monthly payment towards them":
        _l("Enter the monthly payment towards the arrears."),
    "required with an arrears payment": _l("Enter the arrears this payment is for."),
}


class ImportForm(BaseForm):
    # The parser applies the text rule to each field of the file and names it.
    raw_fields = frozenset({"text"})

    file = FileField(_l("Case file (.json)"))
    text = TextArea(_l("…or paste the case file"), validators=[Length(max=2_000_000)])


class ReasonForm(BaseForm):
    """The borrower's reason for spending in one category (empty: remove it)."""

    reason = TextArea(_l("Why you need this (it goes in your budget statement)"),
                      validators=[Length(max=1000)])


class ConfirmForm(BaseForm):
    """An empty form: just the CSRF token, for delete buttons."""

    confirm = BooleanField(default=True)
