"""Read, validate and write the case file (``parley-case/1``, shared/CASEFILE.md).

:func:`parse_case` checks a decoded JSON object and reports *every* problem at
once as :class:`~.errors.FieldError` with the field's path (``debts[1].balance``);
:func:`loads` decodes JSON text first and raises :class:`MalformedJSON` when it
cannot, so that the API can answer 400 (not JSON) apart from 422 (not a case);
:func:`dump_case` writes the dict back, and ``parse_case(dump_case(c)) == c``.

Amounts are decimal strings or JSON numbers (a float is read through its
shortest repr, ``Decimal(str(x))``). Money has at most two decimal places and
is at most 10^12; an APR is a percentage from 0 to 1000 with at most four.

Each debt may name its ``holder``: ``original_creditor`` (the default, left out
when writing), ``collection_agency`` or ``debt_buyer``. The case
may say where its ``lump_sum`` comes from (``lump_sum_source``, free text).

``options`` extends the contract with ``pro_rata_basis`` (``balance`` or
``contractual``), ``term_months`` (1 to the jurisdiction's
:data:`~.strategies.term.TERM_LIMITS`) and ``term_apr`` (0-100, four places);
each is written back only when it differs from its default.

Every text field goes through the one text rule of :mod:`.text` (line breaks
to ``\n``, no other control characters), the same as the web forms; lists are
bounded by :mod:`.limits` (``debts: at most 100 debts``), checked before any
item is read.

``options.token_offer`` (an amount > 0) is the monthly token payment to each creditor (default: ¥100
in CN, else ``min_offer``).

A priority debt may say how much of its balance is ``arrears`` and the monthly
``arrears_payment`` that catches them up on top of ``contractual_payment`` (the
ongoing payment); both or neither, only on priority debts, the arrears at most
the balance (see ``webapp.domain.budget``).
``household.car``, ``options.settlement_floor`` and ``spending_reasons`` are
read and written by :mod:`.casefile_budget`.
Two optional fields serve the letters (not yet in shared/CASEFILE.md):
``borrower.id_number`` (at most 40 characters; in a ``CN`` case an 18-character
居民身份证号码 whose check digit is right, stored without spaces and with a
capital ``X``; elsewhere 4-40 letters, digits, spaces or hyphens), printed in
full only in the letter files and shown masked (``1101**********1232``) on
every page; and ``debts[].account_ref_unknown`` (boolean, default false): the
borrower has no account reference for the debt, so letters ask the creditor to
find the account by name and address; it is dropped once ``account_ref`` is
given. Letters (not plans) need ``borrower.name``, ``borrower.address`` and, for
each debt written to, ``account_ref`` or ``account_ref_unknown`` (see
``webapp.letters.sender``).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from . import identity
from .casefile_budget import (
    dump_floor,
    dump_household_car,
    dump_reasons,
    read_car,
    read_floor,
    read_reasons,
)
from .errors import FieldError, ValidationError
from .limits import MAX_DEBTS, MAX_EXPENSE_ITEMS, MAX_INCOME_ITEMS, too_many
from .model import (
    JURISDICTIONS,
    Borrower,
    BudgetItem,
    Case,
    Debt,
    DebtKind,
    ExpenseCategory,
    Frequency,
    Holder,
    Household,
    Options,
    ProRataBasis,
)
from .strategies.term import TERM_LIMITS, term_limit
from .text import normalise, text_problem

CASE_FORMAT = "parley-case/1"
#: The largest amount a Numeric(14, 2) column holds.
MONEY_MAX = Decimal("999999999999.99")
APR_MAX = Decimal(1000)
#: The highest APR a term extension may propose (``options.term_apr``).
TERM_APR_MAX = Decimal(100)
#: Plans run up to 50 years from the start: keep the dates well inside ``date``.
FIRST_YEAR, LAST_YEAR = 1900, 2400
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_MISSING = object()
#: Longest text per field (what a letter can carry and the database stores).
TEXT_LIMITS = {
    "id": 40, "label": 120, "title": 120, "language": 10, "creditor": 300, "name": 300,
    "account_ref": 80, "email": 254, "creditor_email": 254, "phone": 40,
    "creditor_phone": 40, "address": 1000, "creditor_address": 1000, "lump_sum_source": 300,
    "id_number": 40,
    # the negotiation record and the contact log (webapp.domain.record)
    "channel": 40, "notes": 2000, "collector": 300, "debt_id": 40,
}
#: Languages letters can be written in (the case file's optional ``language``).
LETTER_LANGUAGES = ("en", "zh_CN")


class MalformedJSON(ValidationError):
    """The text is not JSON at all (HTTP 400 rather than 422)."""


class _Reader:
    """Collects errors while reading fields, so that every problem is reported."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, code: str = "", **params: Any) -> None:
        self.errors.append(FieldError(path, message, code, params))

    def obj(self, data: object, path: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(path, "must be an object")
            return None
        return data

    def get(self, obj: dict, key: str, path: str, *, required: bool = True) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING and required:
            self.fail(_join(path, key), "is required", "required")
        return value

    def text(self, obj: dict, key: str, path: str, *, required: bool = False) -> str:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING or (value is None and not required):
            return ""
        if not isinstance(value, str):
            self.fail(
                _join(path, key), "must be a non-empty string" if required else "must be a string"
            )
            return ""
        # The same rule as the web forms (text.py), so that exports re-import.
        value = normalise(value)
        if required and not value.strip():
            self.fail(_join(path, key), "must be a non-empty string")
            return ""
        limit = TEXT_LIMITS.get(key, 1000)
        if len(value) > limit:
            self.fail(_join(path, key), f"must be at most {limit} characters", "too_long",
                      max=limit)
            return ""
        if problem := text_problem(value):
            self.fail(_join(path, key), problem, "text")
            return ""
        return value

    def number(self, value: object, path: str, *, places: int, maximum: Decimal) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            self.fail(path, 'must be a decimal string such as "1234.50"', "number")
            return None
        if isinstance(value, str):
            if not _DECIMAL.fullmatch(value.strip()):
                self.fail(path, f"{value!r} is not a decimal number", "number")
                return None
            value = value.strip()
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, ValueError):
            self.fail(path, "is not a number", "number")
            return None
        if not amount.is_finite():
            self.fail(path, "must be a finite number", "number")
        elif amount < 0:
            self.fail(path, "must be ≥ 0", "number")
        elif amount > maximum:
            self.fail(path, f"must be at most {maximum:,f}", "number")
        elif amount != amount.quantize(Decimal(1).scaleb(-places)):
            self.fail(path, f"must have at most {places} decimal places", "number")
        else:
            return amount.quantize(Decimal(1).scaleb(-places)) if places == 2 else amount
        return None

    def day(self, obj: dict, key: str, path: str, *, required: bool = True) -> date | None:
        """An ISO date (``2027-01-31``) that exists, between FIRST_YEAR and LAST_YEAR."""
        value = self.get(obj, key, path, required=required)
        if value is _MISSING or (value is None and not required):
            return None
        where = _join(path, key)
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            self.fail(where, "must be an ISO date such as 2027-01-31", "date")
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(where, f"{value} is not a real date", "date")
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(where, f"must be between {FIRST_YEAR} and {LAST_YEAR}", "date")
            return None
        return day

    def money(self, obj: dict, key: str, path: str, *, required: bool = True) -> Decimal | None:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING or (value is None and not required):
            return None
        return self.number(value, _join(path, key), places=2, maximum=MONEY_MAX)

    def integer(
        self, obj: dict, key: str, path: str, *, low: int, high: int, required: bool
    ) -> int | None:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING or (value is None and not required):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(_join(path, key), f"must be a whole number from {low} to {high}")
            return None
        return value

    def choice(
        self, obj: dict, key: str, path: str, choices: type | tuple, *, required: bool = True
    ) -> Any:
        value = self.get(obj, key, path, required=required)
        if value is _MISSING or (value is None and not required):
            return None
        names = [c.value for c in choices] if isinstance(choices, type) else list(choices)
        if value not in names or not isinstance(value, str):
            self.fail(_join(path, key), f"must be one of {', '.join(names)}")
            return None
        return choices(value) if isinstance(choices, type) else value

    def items(
        self, obj: dict, key: str, path: str, *, limit: tuple[int, str]
    ) -> list[tuple[str, dict]]:
        """The list's objects; a list over ``limit`` (count, what) is refused whole,
        before any of it is read, so an oversized case costs nothing to refuse."""
        value = self.get(obj, key, path)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.fail(_join(path, key), "must be a list")
            return []
        if message := too_many(len(value), *limit):
            self.fail(_join(path, key), message)
            return []
        out = []
        for i, item in enumerate(value):
            here = f"{_join(path, key)}[{i}]"
            if (checked := self.obj(item, here)) is not None:
                out.append((here, checked))
        return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _budget_item(r: _Reader, path: str, item: dict, *, expense: bool) -> BudgetItem | None:
    label = r.text(item, "label", path, required=True)
    amount = r.money(item, "amount", path)
    frequency = r.choice(item, "frequency", path, Frequency)
    category = r.choice(item, "category", path, ExpenseCategory) if expense else None
    if amount is None or frequency is None or (expense and category is None) or not label:
        return None
    return BudgetItem(label, amount, frequency, category)


def _debt(r: _Reader, path: str, item: dict) -> Debt | None:
    debt_id = r.text(item, "id", path, required=True)
    creditor = r.text(item, "creditor", path, required=True)
    kind = r.choice(item, "kind", path, DebtKind)
    balance = r.money(item, "balance", path)
    apr_value = r.get(item, "apr", path)
    apr = None
    if apr_value is not _MISSING:
        apr = r.number(apr_value, _join(path, "apr"), places=4, maximum=APR_MAX)
    contractual = r.money(item, "contractual_payment", path)
    priority = r.get(item, "priority", path, required=False)
    if priority is _MISSING:
        priority = None
    elif priority is not None and not isinstance(priority, bool):
        r.fail(_join(path, "priority"), "must be true or false")
        priority = None
    overdue = r.integer(item, "days_overdue", path, low=0, high=100_000, required=False)
    extras: dict[str, Any] = {
        k: r.text(item, k, path)
        for k in ("account_ref", "creditor_address", "creditor_email", "creditor_phone")
    }
    unknown = r.get(item, "account_ref_unknown", path, required=False)
    if unknown not in (_MISSING, None) and not isinstance(unknown, bool):
        r.fail(_join(path, "account_ref_unknown"), "must be true or false")
    # A reference, once given, wins over an earlier "I don't have it".
    extras["account_ref_unknown"] = unknown is True and not extras["account_ref"].strip()
    holder = r.choice(item, "holder", path, Holder, required=False)
    arrears = r.money(item, "arrears", path, required=False)
    catch_up = r.money(item, "arrears_payment", path, required=False)
    if None in (kind, balance, apr, contractual) or not debt_id or not creditor:
        return None
    debt = Debt(debt_id, creditor, kind, balance, apr, contractual, priority, overdue, **extras,
                arrears=arrears, arrears_payment=catch_up,
                holder=holder or Holder.ORIGINAL_CREDITOR)
    for problem in arrears_problems(debt):
        r.fail(_join(path, problem.path), problem.message)
    return debt


def arrears_problems(debt: Debt) -> list[FieldError]:
    """What is wrong with a debt's ``arrears`` / ``arrears_payment`` (paths relative
    to the debt). Shared by the case file and the web form."""
    arrears, catch_up = debt.arrears, debt.arrears_payment
    if arrears is None and catch_up is None:
        return []
    out = []
    if not debt.is_priority:
        out.append(FieldError("arrears", "only priority debts have arrears planned here; "
                                         "other creditors' arrears are part of the offer"))
        return out
    if arrears is not None and arrears > debt.balance:
        out.append(FieldError("arrears", "must be at most the balance"))
    if arrears and not catch_up:
        out.append(FieldError("arrears_payment",
                              "required with arrears: the monthly payment towards them"))
    if catch_up and not arrears:
        out.append(FieldError("arrears", "required with an arrears payment"))
    return out


def _id_number(r: _Reader, borrower: dict, jurisdiction: str | None) -> str:
    """``borrower.id_number``: optional; a Chinese case's must be a valid 身份证号码."""
    value = r.text(borrower, "id_number", "borrower")
    why = identity.problem(value, jurisdiction or "")
    if why:
        r.fail("borrower.id_number", why)
        return ""
    return identity.normalise(value) if jurisdiction == "CN" else value.strip()


def _start_date(r: _Reader, data: dict) -> date | None:
    return r.day(data, "start_date", "")


def _options(r: _Reader, o: dict, jurisdiction: str | None) -> Options:
    """``options``: every key optional; the term's limit depends on the jurisdiction."""
    defaults = Options()
    min_offer = r.money(o, "min_offer", "options", required=False)
    if min_offer is not None and min_offer <= 0:
        r.fail("options.min_offer", "must be more than 0")
        min_offer = None
    basis = r.choice(o, "pro_rata_basis", "options", ProRataBasis, required=False)
    # An unknown jurisdiction is reported on its own; check the term against the
    # most generous limit then, so that one mistake is not reported twice.
    limit = term_limit(jurisdiction) if jurisdiction else max(TERM_LIMITS.values())
    term_months = r.get(o, "term_months", "options", required=False)
    if term_months in (_MISSING, None):
        term_months = None
    elif (
        isinstance(term_months, bool)
        or not isinstance(term_months, int)
        or not 1 <= term_months <= limit
    ):
        where = f" (the longest term for {jurisdiction})" if jurisdiction else ""
        r.fail("options.term_months", f"must be a whole number from 1 to {limit}{where}")
        term_months = None
    from .record import read_reply_days

    reply_days = read_reply_days(r, o)
    term_apr = r.get(o, "term_apr", "options", required=False)
    if term_apr in (_MISSING, None):
        term_apr = None
    else:
        term_apr = r.number(term_apr, "options.term_apr", places=4, maximum=TERM_APR_MAX)
    token_offer = r.money(o, "token_offer", "options", required=False)
    if token_offer is not None and token_offer <= 0:
        r.fail("options.token_offer", "must be more than 0")
        token_offer = None
    floor = read_floor(r, o)
    return Options(
        defaults.min_offer if min_offer is None else min_offer,
        defaults.pro_rata_basis if basis is None else basis,
        term_months,
        defaults.term_apr if term_apr is None else term_apr,
        defaults.reply_days if reply_days is None else reply_days,
        token_offer,
        defaults.settlement_floor if floor is None else floor,
    )


def parse_case(data: object) -> Case:
    """Validate a decoded case file; raise :class:`ValidationError` with every problem."""
    r = _Reader()
    top = r.obj(data, "")
    if top is None:
        raise ValidationError(r.errors)
    fmt = r.get(top, "format", "")
    if fmt is not _MISSING and fmt != CASE_FORMAT:
        r.fail("format", f"must be {CASE_FORMAT!r}")
    currency = r.get(top, "currency", "")
    if currency is not _MISSING and not (
        isinstance(currency, str) and _CURRENCY.fullmatch(currency)
    ):
        r.fail("currency", "must be an ISO 4217 code of three capital letters, such as GBP")
    jurisdiction = r.choice(top, "jurisdiction", "", JURISDICTIONS)
    start = _start_date(r, top)
    household = Household()
    raw = r.get(top, "household", "")
    if raw is not _MISSING and (h := r.obj(raw, "household")) is not None:
        adults = r.integer(h, "adults", "household", low=1, high=100, required=True)
        children = r.integer(h, "children", "household", low=0, high=100, required=True)
        household = Household(adults or 1, children or 0, read_car(r, h))
    income = [
        _budget_item(r, p, i, expense=False)
        for p, i in r.items(top, "income", "", limit=(MAX_INCOME_ITEMS, "income items"))
    ]
    expenses = [
        _budget_item(r, p, i, expense=True)
        for p, i in r.items(top, "expenses", "", limit=(MAX_EXPENSE_ITEMS, "expense items"))
    ]
    debts = []
    seen: set[str] = set()
    for path, item in r.items(top, "debts", "", limit=(MAX_DEBTS, "debts")):
        debt = _debt(r, path, item)
        if isinstance(item.get("id"), str) and item["id"] in seen:
            r.fail(f"{path}.id", f"duplicate id {item['id']!r}")
        if isinstance(item.get("id"), str):
            seen.add(item["id"])
        debts.append(debt)
    lump_sum = r.money(top, "lump_sum", "", required=False)
    lump_sum_source = r.text(top, "lump_sum_source", "")
    options = Options()
    raw = r.get(top, "options", "", required=False)
    if raw not in (_MISSING, None) and (o := r.obj(raw, "options")) is not None:
        options = _options(r, o, jurisdiction)
    borrower = Borrower()
    raw = r.get(top, "borrower", "", required=False)
    if raw not in (_MISSING, None) and (b := r.obj(raw, "borrower")) is not None:
        borrower = Borrower(
            *(r.text(b, k, "borrower") for k in ("name", "address", "email", "phone")),
            id_number=_id_number(r, b, jurisdiction),
        )
    from .record import read_record

    negotiations, contacts = read_record(r, top, debts)
    reasons = read_reasons(r, top)
    title = r.text(top, "title", "")
    language = ""
    if top.get("language") not in (None, ""):
        language = r.choice(top, "language", "", LETTER_LANGUAGES) or ""
    if r.errors:
        raise ValidationError(r.errors)
    return Case(
        currency,
        jurisdiction,
        start,
        household,
        tuple(income),
        tuple(expenses),
        tuple(debts),
        lump_sum,
        options,
        title,
        language,
        borrower,
        lump_sum_source,
        negotiations,
        contacts,
        reasons,
    )


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in a case file")


def loads(text: str | bytes) -> Case:
    """Decode JSON text and parse it; :class:`MalformedJSON` if it is not JSON."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MalformedJSON([FieldError("", f"not UTF-8 text (byte {exc.start})")]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise MalformedJSON(
            [FieldError("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise MalformedJSON([FieldError("", f"not valid JSON: {exc}")]) from None
    return parse_case(data)


def _fixed(value: Decimal) -> str:
    return format(value, "f")


def _dump_options(options: Options) -> dict:
    """Only the options that differ from their defaults, so old files round-trip."""
    out: dict = {}
    if options.min_offer != Options().min_offer:
        out["min_offer"] = _fixed(options.min_offer)
    if options.pro_rata_basis != ProRataBasis.BALANCE:
        out["pro_rata_basis"] = ProRataBasis(options.pro_rata_basis).value
    if options.term_months is not None:
        out["term_months"] = options.term_months
    if options.term_apr != 0:
        out["term_apr"] = _fixed(options.term_apr)
    if options.reply_days != Options().reply_days:
        out["reply_days"] = options.reply_days
    if options.token_offer is not None:
        out["token_offer"] = _fixed(options.token_offer)
    out.update(dump_floor(options))
    return out


def dump_case(case: Case) -> dict:
    """The case-file dict (amounts as strings); empty optional extensions left out."""

    def item(i: BudgetItem) -> dict:
        out = {"label": i.label, "amount": _fixed(i.amount), "frequency": i.frequency.value}
        if i.category is not None:
            out["category"] = i.category.value
        return out

    def debt(d: Debt) -> dict:
        out: dict = {
            "id": d.id,
            "creditor": d.creditor,
            "kind": d.kind.value,
            "balance": _fixed(d.balance),
            "apr": _fixed(d.apr),
            "contractual_payment": _fixed(d.contractual_payment),
        }
        if d.priority is not None:
            out["priority"] = d.priority
        if d.days_overdue is not None:
            out["days_overdue"] = d.days_overdue
        for key in ("account_ref", "creditor_address", "creditor_email", "creditor_phone"):
            if getattr(d, key):
                out[key] = getattr(d, key)
        for key in ("arrears", "arrears_payment"):
            if getattr(d, key) is not None:
                out[key] = _fixed(getattr(d, key))
        if d.holder != Holder.ORIGINAL_CREDITOR:
            out["holder"] = Holder(d.holder).value
        if d.account_ref_unknown:
            out["account_ref_unknown"] = True
        return out

    out: dict = {
        "format": CASE_FORMAT,
        "currency": case.currency,
        "jurisdiction": case.jurisdiction,
        "start_date": case.start_date.isoformat(),
        "household": {"adults": case.household.adults, "children": case.household.children,
                      **dump_household_car(case.household.car)},
        "income": [item(i) for i in case.income],
        "expenses": [item(i) for i in case.expenses],
        "debts": [debt(d) for d in case.debts],
    }
    if case.lump_sum is not None:
        out["lump_sum"] = _fixed(case.lump_sum)
    if case.lump_sum_source:
        out["lump_sum_source"] = case.lump_sum_source
    if case.options != Options():
        out["options"] = _dump_options(case.options)
    if case.title:
        out["title"] = case.title
    if case.language:
        out["language"] = case.language
    borrower = {k: v for k, v in vars(case.borrower).items() if v}
    if borrower:
        out["borrower"] = borrower
    out.update(dump_reasons(case.spending_reasons))
    from .record import dump_record

    out.update(dump_record(case.negotiations, case.contacts))
    return out
