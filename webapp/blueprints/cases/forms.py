"""Forms for cases, budget items and debts."""

import re
import secrets
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from ...domain.casefile import TERM_APR_MAX
from ...domain.model import PRIORITY_KINDS, DebtKind, ExpenseCategory, Frequency, ProRataBasis
from ...domain.strategies.pro_rata import ESTIMATED_PAYMENT_PERCENT
from ...domain.strategies.term import DEFAULT_TERM, TERM_LIMITS, term_limit
from ...forms import BaseForm, BoundedInteger, DecimalText, PlanDate, TextArea, options
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
PRIORITY_CHOICES = [("auto", _l("Decide by kind")), ("yes", _l("Yes, priority")),
                    ("no", _l("No, not priority"))]
LANGUAGES = [("", _l("Same as the interface")), ("en", "English"), ("zh_CN", "简体中文")]
PRO_RATA_BASES = [
    (ProRataBasis.BALANCE.value, _l("What you owe (balance)")),
    (ProRataBasis.CONTRACTUAL.value, _l("The contractual monthly payments")),
]


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
    jurisdiction = SelectField(_l("Where you live"), choices=options(JURISDICTIONS))
    start_date = PlanDate(_l("First payment date"))
    adults = BoundedInteger(_l("Adults in the household"), minimum=1, maximum=20, default=1)
    children = BoundedInteger(_l("Children in the household"), minimum=0, maximum=30, default=0)
    language = SelectField(_l("Language of letters"), choices=options(LANGUAGES), default="")
    lump_sum = DecimalText(_l("Money available once (optional)"), optional=True,
                           description=_l("For settlement offers: savings, a gift, a refund."))
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
    borrower_name = StringField(_l("Your name, as on letters"), validators=[Length(max=300)])
    borrower_address = TextArea(_l("Your postal address"), validators=[Length(max=1000)])
    borrower_email = StringField(_l("Your e-mail"),
                                 validators=[Optional(), Email(), Length(max=254)])
    borrower_phone = StringField(_l("Your phone"), validators=[Length(max=40)])

    def values(self) -> dict:
        data = {name: self[name].data for name in (
            "title", "currency", "jurisdiction", "start_date", "adults", "children",
            "language", "borrower_name", "borrower_address", "borrower_email",
            "borrower_phone")}
        for name in ("title", "borrower_name", "borrower_address", "borrower_email",
                     "borrower_phone"):
            data[name] = (data[name] or "").strip()
        data["lump_sum"] = self.lump_sum.value
        data["min_offer"] = self.min_offer.value
        data["pro_rata_basis"] = self.pro_rata_basis.data
        data["term_months"] = self.term_months.data
        data["term_apr"] = self.term_apr.value
        return data

    def validate_term_months(self, field) -> None:
        limit = term_limit(self.jurisdiction.data)
        if field.data is not None and not field.errors and field.data > limit:
            raise ValidationError(
                _l("At most %(n)s months where you live.", n=limit))


class ItemForm(Versioned, OneTime, BaseForm):
    label = StringField(_l("What is it"), validators=[InputRequired(), Length(max=120)])
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
    creditor = StringField(_l("Creditor"), validators=[InputRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of debt"), choices=options(KINDS), default="credit_card")
    balance = DecimalText(_l("Balance owed"))
    apr = DecimalText(_l("Interest rate (APR %)"), places=4, maximum=Decimal("1000"),
                      default="0")
    contractual_payment = DecimalText(_l("Contractual monthly payment"), default="0")
    days_overdue = BoundedInteger(_l("Days overdue (optional)"), minimum=0, maximum=36500,
                                  optional=True)
    priority = SelectField(_l("Priority debt?"), choices=options(PRIORITY_CHOICES), default="auto",
                           description=_l("Priority debts (home, power, tax) are paid first."))
    account_ref = StringField(_l("Account or reference number"), validators=[Length(max=80)])
    creditor_address = TextArea(_l("Creditor's postal address"),
                                     validators=[Length(max=1000)])
    creditor_email = StringField(_l("Creditor's e-mail"),
                                 validators=[Optional(), Email(), Length(max=254)])
    creditor_phone = StringField(_l("Creditor's phone"),
                                 validators=[Length(max=40), Regexp(r"^[0-9+()\-. ]*$",
                                             message=_l("Digits, spaces and + ( ) - only."))])

    def values(self) -> dict:
        return {
            "creditor": self.creditor.data.strip(),
            "kind": self.kind.data,
            "balance": self.balance.value,
            "apr": self.apr.value,
            "contractual_payment": self.contractual_payment.value,
            "days_overdue": self.days_overdue.data,
            "priority": {"auto": None, "yes": True, "no": False}[self.priority.data],
            "account_ref": (self.account_ref.data or "").strip(),
            "creditor_address": (self.creditor_address.data or "").strip(),
            "creditor_email": (self.creditor_email.data or "").strip(),
            "creditor_phone": (self.creditor_phone.data or "").strip(),
        }


class ImportForm(BaseForm):
    file = FileField(_l("Case file (.json)"))
    text = TextArea(_l("…or paste the case file"), validators=[Length(max=2_000_000)])


class ConfirmForm(BaseForm):
    """An empty form: just the CSRF token, for delete buttons."""

    confirm = BooleanField(default=True)
