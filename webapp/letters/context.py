"""Everything a letter template needs, gathered and checked before rendering.

:func:`build_context` turns (case, debt, letter type, language, plan, today,
extras) into a :class:`LetterContext`. Every problem is reported as a
``ValidationError`` naming the input that caused it (``type``, ``lang``,
``strategy``, ``extras.deadline``...), so the CLI and the web UI can show it
without a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from webapp.domain.advice import LetterFacts, letter_facts
from webapp.domain.budget import BudgetSummary, summarise
from webapp.domain.errors import FieldError, ValidationError
from webapp.domain.model import Borrower, Case, Debt, Holder
from webapp.domain.money import cents
from webapp.domain.strategies.base import offer_term_cap
from webapp.formatting import format_day, format_money, format_number

from .arithmetic import Arithmetic, creditor_arithmetic
from .budget_view import BudgetView, budget_view
from .catalogue import (
    BUDGET_STATEMENT,
    CONVENTIONS,
    KIND_LABELS,
    LANGUAGES,
    PROOFS,
    Conventions,
    FieldKind,
    LetterType,
    letter_type,
    locale_for,
)
from .evidence import Evidence, evidence_for
from .offers import Offer, OfferLine, offer_for, offer_lines, select_strategy
from .priority import ArrearsTerms, arrears_terms
from .regulators import regulator_checks, regulator_for
from .rules import rules_for
from .sender import sender_problems
from .spelling import american
from .wording import PaymentMethod, clock, number_words, payment_method

#: Days a creditor is given to reply to an offer (the usual "reply by" of UK
#: template letters, shared/DOMAIN.md); the case's ``options.reply_days``
#: replaces it once the case carries one.
REPLY_DAYS = 30


@dataclass(frozen=True)
class Party:
    """Who a letter is from or to: a name and address lines, all optional."""

    name: str = ""
    lines: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    #: the borrower's identity number (CN: 身份证号码), printed in full in the letter
    id_number: str = ""


@dataclass(frozen=True)
class LetterContext:
    """The data of one letter (or of the budget statement, where ``debt`` is None)."""

    letter: LetterType
    lang: str
    locale: str
    jurisdiction: str
    currency: str
    today: date
    start_date: date
    sender: Party
    recipient: Party
    account_ref: str
    #: the kind of debt in the letter's language ("Credit card", "信用卡")
    kind_label: str
    debt: Debt | None
    offer: Offer | None
    offers: tuple[OfferLine, ...]
    budget: BudgetView
    summary: BudgetSummary
    rules: dict[str, Any]
    conventions: Conventions
    extras: dict[str, Any] = field(default_factory=dict)
    #: what the case's own budget lets a letter claim (cannot afford, cannot offer more)
    facts: LetterFacts | None = None
    #: who holds the debt (``Holder``): decides which collection laws apply
    holder: str = Holder.ORIGINAL_CREDITOR.value
    #: the date by which the letter asks for a written reply
    reply_by: date | None = None
    #: how the borrower will pay (monthly instalments, a settlement)
    payment: PaymentMethod | None = None
    #: where the lump sum comes from, in the borrower's words ("" = not said)
    lump_sum_source: str = ""
    #: True when the borrower said they have no account reference for this debt
    account_ref_unknown: bool = False
    #: what goes in the envelope besides the letter, in the letter's language
    enclosures: tuple[str, ...] = ()
    #: a priority letter's arrears and payments (None for other letters)
    arrears: ArrearsTerms | None = None
    #: the contacts of one caller that break a rule, for letters written from the
    #: contact log (None for the others)
    evidence: Evidence | None = None
    #: the creditor the letter is about (for a regulator complaint, not its recipient)
    creditor: Party = field(default_factory=Party)
    #: China: which regulator a complaint goes to (``regulators.ROUTES``)
    route: str = ""
    #: an offer letter's recovery paragraph: the offer against the alternatives
    arithmetic: Arithmetic | None = None

    def money(self, amount: Decimal | str | None, currency: str | None = None) -> str:
        """An amount in the letter's locale (the only way amounts become text)."""
        return format_money(amount, currency or self.currency, self.locale)

    def day(self, value: date | None) -> str:
        """A date in the letter's locale."""
        return format_day(value, self.locale)

    def percent(self, value: Decimal | str | None) -> str:
        """A percentage such as ``45.5%``."""
        return "" if value is None else format_number(value, self.locale) + "%"

    def clock(self, value: str) -> str:
        """A time of day (``"21:00"``) as the locale writes it (``9 p.m.``, ``9pm``)."""
        return clock(value, self.locale)

    def words(self, n: int) -> str:
        """A count as a careful writer puts it: ``two``, ``12``."""
        return number_words(n, self.lang)

    @staticmethod
    def instalments(total: Decimal | None, monthly: Decimal | None) -> int | None:
        """How many monthly payments of ``monthly`` clear ``total`` (None: unknown)."""
        if not total or not monthly or total <= 0 or monthly <= 0:
            return None
        return int((total / monthly).to_integral_value(ROUND_CEILING))

    @property
    def title(self) -> str:
        """The letter's title in its language, spelt as its locale spells."""
        text = self.letter.title.get(self.lang, self.letter.title["en"])
        return american(text) if self.locale == "en_US" else text

    def template_vars(self) -> dict[str, Any]:
        """The names templates see: the fields plus the formatting helpers."""
        names = {k: getattr(self, k) for k in self.__dataclass_fields__}
        names.update(money=self.money, day=self.day, percent=self.percent, clock=self.clock,
                     words=self.words, title=self.title, instalments=self.instalments)
        return names


def _lines(text: str) -> tuple[str, ...]:
    """Address text (newline or comma separated in the case file) as clean lines."""
    parts = text.splitlines() if "\n" in text else text.split(",")
    return tuple(p.strip() for p in parts if p.strip())


def _sender(borrower: Borrower) -> Party:
    return Party(
        borrower.name.strip(),
        _lines(borrower.address),
        borrower.email,
        borrower.phone,
        borrower.id_number.strip(),
    )


def _recipient(debt: Debt) -> Party:
    return Party(
        debt.creditor.strip(),
        _lines(debt.creditor_address),
        debt.creditor_email,
        debt.creditor_phone,
    )


def _kind_label(debt: Debt | None, lang: str, locale: str) -> str:
    if debt is None:
        return ""
    label = KIND_LABELS[str(debt.kind)][lang]
    return american(label) if locale == "en_US" else label


def parse_extras(
    letter: LetterType, extras: Mapping[str, Any] | None, today: date
) -> tuple[dict[str, Any], list[FieldError]]:
    """Check the user's extra values against the catalogue row; apply defaults.

    Dates may be given as ``date`` or ISO strings; text is stripped. Fields the
    letter does not declare are refused, so a typo fails loudly.
    """
    given = dict(extras or {})
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in letter.fields:
        raw = given.pop(spec.name, None)
        path = f"extras.{spec.name}"
        if isinstance(raw, str):
            raw = raw.strip() or None
        if spec.kind is FieldKind.DATE:
            if raw is None and spec.default_days is not None:
                raw = today + timedelta(days=spec.default_days)
            if isinstance(raw, str):
                try:
                    raw = date.fromisoformat(raw)
                except ValueError:
                    errors.append(FieldError(path, "not a date (expected YYYY-MM-DD)"))
                    continue
            if raw is not None and not isinstance(raw, date):
                errors.append(FieldError(path, "not a date (expected YYYY-MM-DD)"))
                continue
        elif spec.kind is FieldKind.CHOICES:
            raw, bad = _choices(raw, spec.choices)
            if bad:
                allowed = ", ".join(spec.choices)
                message = f"unknown: {', '.join(bad)} (choose from {allowed})"
                errors.append(FieldError(path, message))
                continue
        elif spec.kind is FieldKind.MONEY:
            if raw is not None:
                try:
                    amount = Decimal(str(raw).strip())
                except ArithmeticError:
                    amount = None
                if amount is None or not amount.is_finite() or amount < 0:
                    errors.append(FieldError(path, "not an amount (expected e.g. 120.50)"))
                    continue
                raw = cents(amount)
        elif spec.kind is FieldKind.FLAG:
            flag = _FLAGS.get(str(raw).lower()) if raw is not None else False
            if flag is None:
                errors.append(FieldError(path, "must be yes or no"))
                continue
            raw = flag
        elif raw is not None:
            raw = str(raw)
        if raw is None and spec.required:
            errors.append(FieldError(path, f"required for a '{letter.key}' letter"))
        if raw is None and spec.kind is FieldKind.TEXT:
            raw = ""  # so templates can test {% if extras.reason %} under StrictUndefined
        values[spec.name] = raw
    for name in sorted(given):
        errors.append(FieldError(f"extras.{name}", f"not used by a '{letter.key}' letter"))
    return values, errors


_FLAGS = {"true": True, "yes": True, "1": True, "on": True,
          "false": False, "no": False, "0": False, "off": False, "": False}


def _choices(raw: Any, allowed: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """A list or comma-separated text of keys: the known ones in catalogue order, the others."""
    if raw is None:
        items: list[str] = []
    elif isinstance(raw, str):
        items = [x.strip() for x in raw.split(",") if x.strip()]
    elif isinstance(raw, list | tuple):
        items = [str(x).strip() for x in raw]
    else:
        items = [str(raw)]
    bad = [x for x in items if x not in allowed]
    return tuple(k for k in allowed if k in items), bad


#: The table of contacts, as the enclosures line names it.
SCHEDULE = {"en": "Schedule of the contacts that break the rules (at the end of this letter)",
            "zh_CN": "违规催收记录表（附于本函之后）"}


def _enclosures(letter: LetterType, lang: str, values: Mapping[str, Any],
                evidence: Evidence | None = None) -> tuple[str, ...]:
    out = [BUDGET_STATEMENT.title[lang]] if letter.with_statement else []
    out += [PROOFS[k][lang] for k in values.get("proofs", ())]
    out += [SCHEDULE[lang]] if evidence is not None else []
    # English lists them in lower case after "Enclosed:" ("budget statement; bank statements")
    return tuple(x[:1].lower() + x[1:] for x in out) if lang == "en" else tuple(out)


def _check_debt(letter: LetterType, case: Case, debt: Debt,
                evidence: bool = False) -> list[FieldError]:
    """Whether ``letter`` may go to ``debt`` (a 个性化分期 only to a credit card...).
    A letter answering the contact log (``evidence``) may go to any debt's
    creditor: collectors chase priority debts too."""
    if letter.priority and not debt.is_priority:
        return [FieldError("debt", f"'{debt.id}' is not a priority debt")]
    if not letter.priority and debt.is_priority and not evidence:
        return [FieldError("debt", f"'{debt.id}' is a priority debt: write a priority letter")]
    if not letter.fits(debt.kind):
        instead = f"; write a '{letter.instead}' letter instead" if letter.instead else ""
        kinds = ", ".join(letter.kinds)
        message = f"a '{letter.key}' letter is for {kinds} debts only, not {debt.kind}{instead}"
        return [FieldError("debt", message)]
    return sender_problems(case, [debt])


def _check_counter(case: Case, debt: Debt, monthly: Decimal | None) -> list[FieldError]:
    """A counter figure is a monthly offer like any other: more than 0, and in a
    jurisdiction with a cap on plans (CN: 60 months) not a longer one."""
    path = "extras.counter_monthly"
    if monthly is None:
        return []  # reported as required
    if monthly <= 0:
        return [FieldError(path, "must be more than 0")]
    cap = offer_term_cap(case.jurisdiction)
    count = LetterContext.instalments(debt.balance, monthly)
    if cap and count and count > cap:
        return [FieldError(path, f"at this figure '{debt.id}' would take {count} months; no "
                                 f"repayment plan offered here may run longer than {cap} "
                                 "months", "too_many_months", {"months": count, "max": cap})]
    return []


def _check_choice(letter_key: str, lang: str, case: Case) -> LetterType:
    errors = []
    letter = None
    try:
        letter = letter_type(letter_key)
    except KeyError:
        errors.append(FieldError("type", f"unknown letter type '{letter_key}'"))
    if lang not in LANGUAGES:
        choices = ", ".join(LANGUAGES)
        errors.append(FieldError("lang", f"unknown language '{lang}' (choose from {choices})"))
    if letter is not None and case.jurisdiction not in letter.jurisdictions:
        errors.append(
            FieldError(
                "type",
                f"a '{letter.key}' letter is for {', '.join(letter.jurisdictions)} only,"
                f" not {case.jurisdiction}",
            )
        )
    if errors:
        raise ValidationError(errors)
    assert letter is not None
    return letter


def build_context(
    case: Case,
    debt_id: str | None,
    letter_key: str,
    lang: str,
    *,
    today: date,
    plan: Mapping[str, Any] | None = None,
    strategy: str | None = None,
    extras: Mapping[str, Any] | None = None,
) -> LetterContext:
    """Gather and check what letter ``letter_key`` to creditor ``debt_id`` needs.

    ``plan`` is a parley-plan/1 dict (its strategy is chosen by ``strategy`` or
    the catalogue's default) or one strategy dict of it (``{"name", "offers"...}``).
    Letters that make no offer need no plan. ``debt_id`` is None only for the
    budget statement (``letter_key="budget_statement"``).
    """
    letter = _check_choice(letter_key, lang, case)
    values, errors = parse_extras(letter, extras, today)
    debt = None
    if letter is not BUDGET_STATEMENT:
        debt = next((d for d in case.debts if d.id == debt_id), None)
        if debt is None:
            errors.append(FieldError("debt", f"no debt with id '{debt_id}' in the case"))
        else:
            errors.extend(_check_debt(letter, case, debt,
                                      letter.evidence or bool(values.get("caller"))))
    if debt is not None and "counter_monthly" in values:
        errors.extend(_check_counter(case, debt, values.get("counter_monthly")))
    chosen = None
    needs_plan = letter.makes_offer or letter is BUDGET_STATEMENT
    if needs_plan and (plan is not None or letter.makes_offer):
        try:
            chosen = select_strategy(plan, strategy, letter)
        except ValidationError as exc:
            # A budget statement stands without offers when the plan makes none
            # it can list (nothing fits: the page points to other options).
            if letter.makes_offer or strategy is not None:
                errors.extend(exc.errors)
    elif letter.priority and plan is not None:
        # A priority letter makes no offer from the plan; it only mentions the
        # plan's offers to the other creditors when there is a feasible one.
        try:
            chosen = select_strategy(plan, strategy, letter)
        except ValidationError:
            chosen = None
    holder = Holder(debt.holder).value if debt is not None else Holder.ORIGINAL_CREDITOR.value
    evidence, more = evidence_for(case, debt, letter, lang, holder, values)
    errors.extend(more)
    route, more = regulator_checks(case, debt, letter, values, today)
    errors.extend(more)
    if errors:
        raise ValidationError(errors)
    offer = None
    if letter.makes_offer and debt is not None and chosen is not None:
        offer = offer_for(chosen, debt, case, letter)
    locale = locale_for(lang, case.jurisdiction)
    reply_days = letter.reply_days or getattr(case.options, "reply_days", None) or REPLY_DAYS
    return LetterContext(
        letter=letter,
        lang=lang,
        locale=locale,
        jurisdiction=case.jurisdiction,
        currency=case.currency,
        today=today,
        start_date=case.start_date,
        sender=_sender(case.borrower),
        recipient=_regulator(case, lang, route) if letter.to_regulator
        else _recipient(debt) if debt is not None else Party(),
        creditor=_recipient(debt) if debt is not None else Party(),
        account_ref=debt.account_ref.strip() if debt is not None else "",
        account_ref_unknown=debt is not None and debt.account_ref_unknown,
        kind_label=_kind_label(debt, lang, locale),
        debt=debt,
        offer=offer,
        offers=offer_lines(chosen, case) if chosen is not None else (),
        budget=budget_view(case, lang, american=locale == "en_US"),
        summary=summarise(case),
        rules=rules_for(case.jurisdiction, lang, holder),
        conventions=CONVENTIONS[locale if locale in CONVENTIONS else "en_US"],
        extras=values,
        facts=letter_facts(case),
        holder=holder,
        reply_by=today + timedelta(days=reply_days) if debt is not None else None,
        payment=payment_method(lang, case.jurisdiction),
        lump_sum_source=case.lump_sum_source.strip(),
        enclosures=_enclosures(letter, lang, values, evidence),
        arrears=arrears_terms(debt, case) if letter.priority and debt is not None else None,
        evidence=evidence,
        route=route,
        arithmetic=creditor_arithmetic(case, debt, offer)
        if offer is not None and debt is not None else None,
    )


def _regulator(case: Case, lang: str, route: str) -> Party:
    regulator = regulator_for(case.jurisdiction, route)
    return Party(regulator.name.in_(lang), regulator.lines)
