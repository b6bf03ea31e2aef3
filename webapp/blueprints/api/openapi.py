"""The OpenAPI 3 description of the JSON API (served at /api/v1/openapi.json).

The schemas mirror ``shared/CASEFILE.md``; ``tests/integration/test_api.py``
runs schemathesis against this document, so it cannot drift from the code.
"""

from __future__ import annotations

from ...domain.casefile import TEXT_LIMITS
from ...domain.limits import (
    MAX_API_BODY,
    MAX_DEBTS,
    MAX_EXPENSE_ITEMS,
    MAX_INCOME_ITEMS,
    MAX_SCHEDULE_ENTRIES,
)
from ...domain.model import DebtKind, ExpenseCategory, Frequency, Holder
from ...domain.plan import SCHEDULE_FORMS
from ...domain.record import CONTACT_CHANNELS, LETTER_TYPES, PARTIES, REPLY_DAYS
from ...domain.strategies.term import TERM_LIMITS
from ...domain.text import SCHEMA_PATTERN

DECIMAL = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$",
           "description": "A decimal amount as a string, e.g. \"1234.50\""}
# Amounts are documented as decimal strings or whole numbers: a JSON number with
# a fraction is accepted too, but floats cannot promise cents, so we don't advertise it.
AMOUNT = {"oneOf": [DECIMAL, {"type": "integer", "minimum": 0, "maximum": 999999999999}]}
#: min_offer: an amount above zero (an offer of nothing is no offer).
POSITIVE = {"oneOf": [
    {"type": "string", "pattern": r"^(?!0*(\.0*)?$)\d{1,12}(\.\d{1,2})?$"},
    {"type": "integer", "minimum": 1, "maximum": 999999999999}]}
MONEY_OUT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$"}


def _text(key: str, required: bool = False) -> dict:
    # The text rule (domain/text.py): line breaks of any kind are accepted (they
    # become \n), other control characters are not; required text has a visible
    # character.
    schema = {"type": "string", "maxLength": TEXT_LIMITS.get(key, 1000),
              "pattern": SCHEMA_PATTERN}
    if required:
        allowed = SCHEMA_PATTERN[1:-2]  # the [^...] class, without ^ and *$
        schema["minLength"] = 1
        schema["pattern"] = rf"^{allowed}*\S{allowed}*$"
    return schema if required else optional(schema)


def optional(schema: dict) -> dict:
    """Optional fields may also be null: the parser reads null as absent."""
    return {**schema, "nullable": True}


def _item(expense: bool) -> dict:
    props = {"label": _text("label", True), "amount": AMOUNT,
             "frequency": {"type": "string", "enum": [f.value for f in Frequency]}}
    required = ["label", "amount", "frequency"]
    if expense:
        props["category"] = {"type": "string", "enum": [c.value for c in ExpenseCategory]}
        required.append("category")
    return {"type": "object", "required": required, "properties": props}


DATE = {"type": "string", "format": "date"}
POSITIVE_AMOUNT = POSITIVE


def _event(kind: str, description: str, required=(), **props) -> dict:
    """One event type of ``negotiations[].events[]`` (a branch of the oneOf)."""
    return {"type": "object", "description": description,
            "required": ["on", "type", *required],
            "properties": {"on": DATE, "type": {"type": "string", "enum": [kind]},
                           "channel": _text("channel"), "notes": _text("notes"), **props}}


EVENT = {"oneOf": [
    _event("sent", "A letter went out", ["letter"],
           letter={"type": "string", "enum": sorted(LETTER_TYPES)},
           offer_monthly=optional(AMOUNT)),
    _event("info_requested", "The creditor asked for information"),
    _event("rejected", "The creditor refused"),
    _event("counter_offer", "The creditor asked for another monthly amount", ["monthly"],
           monthly=POSITIVE_AMOUNT),
    _event("accepted", "The creditor agreed; total defaults to the debt's balance",
           ["monthly", "first_payment"], monthly=POSITIVE_AMOUNT, first_payment=DATE,
           total=optional(POSITIVE_AMOUNT)),
    _event("payment", "A payment under the agreement", ["amount"], amount=POSITIVE_AMOUNT),
]}

NEGOTIATION = {
    "type": "object", "required": ["debt_id", "events"],
    "description": "At most one per debt; events in date order, each allowed by the "
                   "transition table of shared/CASEFILE.md (else 422 at events[j].type)",
    "properties": {"debt_id": _text("debt_id", True),
                   "events": {"type": "array", "items": EVENT}}}

CONTACT = {
    "type": "object", "required": ["at", "channel", "party"],
    "properties": {
        "at": {"type": "string", "format": "date-time",
               "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
                          r"(Z|[+-]\d{2}:\d{2})$",
               "description": "The borrower's local time with its UTC offset"},
        "channel": {"type": "string", "enum": list(CONTACT_CHANNELS)},
        "connected": optional({"type": "boolean"}),
        "party": {"type": "string", "enum": list(PARTIES)},
        "debt_id": _text("debt_id"),
        "collector": _text("collector"),
        "notes": _text("notes"),
    }}

CASE_FILE = {
    "type": "object",
    "required": ["format", "currency", "jurisdiction", "start_date", "household", "income",
                 "expenses", "debts"],
    "properties": {
        "format": {"type": "string", "enum": ["parley-case/1"]},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "jurisdiction": {"type": "string", "enum": ["CN", "US", "GB", "other"]},
        "start_date": {"type": "string", "format": "date",
                       "description": "The first payment; years 1900 to 2400"},
        "household": {"type": "object", "required": ["adults", "children"], "properties": {
            "adults": {"type": "integer", "minimum": 1, "maximum": 100},
            "children": {"type": "integer", "minimum": 0, "maximum": 100},
            "car": optional({"type": "boolean", "description":
                "Whether the household runs a car; spending guidelines that depend on it "
                "(transport) are not compared until it is said"})}},
        "income": {"type": "array", "maxItems": MAX_INCOME_ITEMS, "items": _item(False)},
        "expenses": {"type": "array", "maxItems": MAX_EXPENSE_ITEMS, "items": _item(True)},
        "debts": {"type": "array", "maxItems": MAX_DEBTS, "items": {
            "type": "object",
            "required": ["id", "creditor", "kind", "balance", "apr", "contractual_payment"],
            "properties": {
                "id": _text("id", True),
                "creditor": _text("creditor", True),
                "kind": {"type": "string", "enum": [k.value for k in DebtKind]},
                "balance": AMOUNT,
                "apr": {"oneOf": [{"type": "string", "pattern": r"^\d{1,4}(\.\d{1,4})?$"},
                                  {"type": "integer", "minimum": 0, "maximum": 1000}]},
                "contractual_payment": AMOUNT,
                "priority": optional({"type": "boolean"}),
                "days_overdue": optional({"type": "integer", "minimum": 0, "maximum": 100000}),
                "account_ref": _text("account_ref"),
                "creditor_address": _text("creditor_address"),
                "creditor_email": _text("creditor_email"),
                "creditor_phone": _text("creditor_phone"),
                "arrears": optional({**AMOUNT, "description":
                    "Priority debts only: the arrears within the balance (at most the "
                    "balance), paid off by arrears_payment a month on top of the "
                    "contractual (ongoing) payment. Give both or neither."}),
                "arrears_payment": optional({**AMOUNT, "description":
                    "Priority debts only: the monthly catch-up payment towards arrears; "
                    "once they are cleared the money goes to the other creditors."}),
                "holder": optional({
                    "type": "string", "enum": [h.value for h in Holder] + [None],
                    "default": Holder.ORIGINAL_CREDITOR.value,
                    "description": "Who asks for payment now; decides which collection laws "
                                   "the letters cite (US: the FDCPA binds collection "
                                   "agencies and debt buyers, not the original creditor)"}),
                "account_ref_unknown": optional({
                    "type": "boolean",
                    "description": "The borrower has no account reference for this debt: "
                                   "letters ask the creditor to find the account by name "
                                   "and address (ignored when account_ref is given)"}),
            }}},
        "lump_sum": optional(AMOUNT),
        "lump_sum_source": {**_text("lump_sum_source"),
                            "description": "Where the lump sum comes from, in the borrower's "
                                           "words; settlement letters say it"},
        "options": optional({"type": "object", "properties": {
            "min_offer": optional(POSITIVE),
            "pro_rata_basis": optional({
                "type": "string", "enum": ["balance", "contractual", None],
                "description": "What pro-rata offers are in proportion to; a debt without a "
                               "contractual payment weighs 3% of its balance"}),
            # The longest limit of any jurisdiction here; _TERM_BY_JURISDICTION
            # below narrows it to the case's own, as the parser does.
            "term_months": optional({
                "type": "integer", "minimum": 1, "maximum": max(TERM_LIMITS.values()),
                "description": "The longest term for term_extension, at most the "
                               "jurisdiction's limit: "
                               + ", ".join(f"{k} {v}" for k, v in TERM_LIMITS.items())}),
            "reply_days": optional({
                "type": "integer", "minimum": REPLY_DAYS[0], "maximum": REPLY_DAYS[1],
                "description": "Days a creditor is given to answer (reply_by); default 30"}),
            "term_apr": optional({"oneOf": [
                {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,4})?$"},
                {"type": "integer", "minimum": 0, "maximum": 100}],
                "description": "The APR (%, 0 to 100) proposed for term_extension"}),
            "settlement_floor": optional({"oneOf": [
                {"type": "string", "pattern": r"^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$"},
                {"type": "integer", "minimum": 0, "maximum": 100}],
                "description": "Percent of each balance below which a settlement is marked "
                               "unlikely to be accepted; default 30"}),
            "token_offer": optional({**POSITIVE, "description":
                "The monthly token payment to each creditor (default: 100 in CN, else "
                "min_offer); token payments are offered only in deficit"}),
        }}),
        "title": _text("title"),
        "language": optional({"type": "string", "enum": ["", "en", "zh_CN", None]}),
        "borrower": optional({"type": "object", "properties": {
            **{k: _text(k) for k in ("name", "address", "email", "phone")},
            "id_number": optional({
                "type": "string", "maxLength": 40,
                "description": "Identity document number; in a CN case an 18-character "
                               "resident ID number with a valid check digit. Printed in "
                               "full only in letters; pages show it masked"})}}),
        "spending_reasons": optional({
            "type": "object", "description": "Why spending in an expense category is what it "
            "is, in the borrower's words; the budget statement prints them",
            "properties": {c.value: _text(c.value) for c in ExpenseCategory},
            "additionalProperties": False}),
        "negotiations": optional({"type": "array", "items": NEGOTIATION}),
        "contacts": optional({"type": "array", "items": CONTACT}),
    },
}

def _term_by_jurisdiction() -> dict:
    """``options.term_months`` is capped per jurisdiction (TERM_LIMITS: China and the
    US 60 months, elsewhere 120): one branch per distinct cap, so that the document
    states exactly what the server enforces."""
    by_limit: dict[int, list[str]] = {}
    for jurisdiction, limit in TERM_LIMITS.items():
        by_limit.setdefault(limit, []).append(jurisdiction)
    return {"anyOf": [
        {"properties": {
            "jurisdiction": {"type": "string", "enum": names},
            "options": optional({"type": "object", "properties": {
                "term_months": optional({"type": "integer", "minimum": 1, "maximum": limit}),
            }}),
        }}
        for limit, names in sorted(by_limit.items())
    ]}


CASE_FILE = {"allOf": [CASE_FILE, _term_by_jurisdiction()]}

OFFER = {"type": "object", "required": ["debt_id", "creditor"], "properties": {
    "debt_id": {"type": "string"}, "creditor": {"type": "string"},
    "monthly": MONEY_OUT, "amount": MONEY_OUT, "percent": {"type": "string"}}}

STRATEGY = {
    "type": "object",
    "required": ["name", "feasible", "offers", "schedule"],
    "properties": {
        "name": {"type": "string", "enum": ["pro_rata", "avalanche", "snowball",
                                            "term_extension", "settlement", "token"]},
        "feasible": {"type": "boolean"},
        "reason": {"type": "string"},
        "reason_code": {"type": "string"},
        "basis": {"type": "string", "enum": ["balance", "contractual"]},
        "term_months": {"type": "integer"},
        "months_needed": {"type": "integer", "description":
                          "over_term_cap: the months the plan would have taken"},
        "term_cap": {"type": "integer", "description":
                     "over_term_cap: the longest plan allowed (CN: 60 months, 第七十条)"},
        "shortest_term": {"type": "integer", "description":
                          "term_extension: the shortest term that would fit"},
        "surplus_clears_in": {"type": "integer", "nullable": True, "description":
                              "settlement: months the monthly budget would take to clear "
                              "every balance interest-free"},
        "surplus_warning": {"type": "boolean", "description":
                            "settlement: the budget clears everything within 60 months, so "
                            "a settlement letter needs the user's acknowledgement"},
        "lump_sum_range": {"type": "object", "description":
                           "settlement without a lump sum: the lump sum (40-60 % of the "
                           "balances) that would make a settlement possible",
                           "properties": {"low": MONEY_OUT, "high": MONEY_OUT}},
        "needed_monthly": {"type": "object", "additionalProperties": MONEY_OUT},
        "months_to_clear": {"type": "integer", "nullable": True},
        "total_paid": {**MONEY_OUT, "nullable": True},
        "total_interest": {**MONEY_OUT, "nullable": True},
        "offers": {"type": "array", "items": OFFER},
        "review_date": {"type": "string", "format": "date"},
        "schedule": {"type": "array", "items": {
            "type": "object", "required": ["date", "payments", "balances"],
            "properties": {"date": {"type": "string", "format": "date"},
                           "from": {"type": "string", "format": "date"},
                           "months": {"type": "integer", "minimum": 1, "maximum": 12},
                           "payments": {"type": "object", "additionalProperties": MONEY_OUT},
                           "balances": {"type": "object", "additionalProperties": MONEY_OUT},
                           "interest": {"type": "object", "additionalProperties": MONEY_OUT}}}},
    },
}

_DATE_OR_NULL = {"type": "string", "format": "date", "nullable": True}
PRIORITY_LINE = {"type": "object", "properties": {
    "debt_id": {"type": "string"}, "creditor": {"type": "string"}, "kind": {"type": "string"},
    "at_risk": {"type": "string", "enum": ["home", "goods", "supply", "enforcement"]},
    "monthly": MONEY_OUT, "ongoing": MONEY_OUT,
    "arrears": {**MONEY_OUT, "nullable": True}, "arrears_payment": {**MONEY_OUT, "nullable": True},
    "arrears_cleared_on": _DATE_OR_NULL, "ends_on": _DATE_OR_NULL}}
BUDGET = {
    "type": "object",
    "required": ["monthly_income", "monthly_expenses", "priority_payments", "available"],
    "properties": {
        **{k: MONEY_OUT for k in ("monthly_income", "monthly_expenses", "priority_payments",
                                  "available")},
        "in_deficit": {"type": "boolean"},
        "contractual_payments": {**MONEY_OUT, "description":
                                 "Σ contractual payments of the non-priority debts"},
        "contractual_payments_fit": {"type": "boolean", "description":
                                     "available covers every contractual payment: keep them "
                                     "(no pro-rata or term-extension offer is made)"},
        "surplus": {**MONEY_OUT, "description": "available − contractual_payments when they fit"},
        "priority": {"type": "array", "items": PRIORITY_LINE, "description":
                     "Each priority debt: month 1's payment, the ongoing payment, the arrears "
                     "and when they clear; a debt is never paid more than its balance"},
        "available_changes": {"type": "array", "description":
                              "Months from which priority debts free money for the others",
                              "items": {"type": "object", "properties": {
                                  "date": {"type": "string", "format": "date"},
                                  "available": MONEY_OUT}}},
    },
}
PLAN = {
    "type": "object",
    "required": ["format", "budget", "strategies"],
    "properties": {
        "format": {"type": "string", "enum": ["parley-plan/1"]},
        "schedule": {"type": "string", "enum": ["yearly", "none"],
                     "description": "Present when the schedules are not monthly"},
        "budget": BUDGET,
        "recommended": {"type": "string", "nullable": True,
                        "description": "The strategy to lead with"},
        "warnings": {"type": "array", "items": {"type": "object", "required": ["code"],
                     "properties": {
                         "code": {"type": "string", "enum": [
                             "priority_shortfall", "housing_costs_missing",
                             "priority_arrears_unplanned", "long_plan"]},
                         "debts": {"type": "array", "items": {"type": "string"}},
                         "amount": MONEY_OUT,
                         "strategies": {"type": "array", "items": {"type": "string"}}}}},
        "strategies": {"type": "array", "items": STRATEGY},
        "recovery": {"type": "array"},
    },
}

NULLABLE_MONEY = {**MONEY_OUT, "nullable": True}
CREDITOR_STATUS = {
    "type": "object",
    "required": ["debt_id", "creditor", "status", "next_action", "due", "overdue", "reply_by",
                 "agreed_monthly", "agreed_total", "paid", "arrears", "remaining",
                 "next_payment", "replan"],
    "properties": {
        "debt_id": {"type": "string"}, "creditor": {"type": "string"},
        "status": {"type": "string", "enum": [
            "not_contacted", "awaiting_reply", "no_reply", "info_requested", "rejected",
            "counter_offer", "agreement_active", "in_arrears", "completed"]},
        "next_action": {"type": "string", "enum": [
            "write", "wait", "follow_up", "send_information", "reconsider", "decide", "pay",
            "pay_arrears", "none"]},
        "due": {**DATE, "nullable": True},
        "overdue": {"type": "boolean"},
        "reply_by": {**DATE, "nullable": True},
        "agreed_monthly": NULLABLE_MONEY, "agreed_total": NULLABLE_MONEY,
        "paid": MONEY_OUT, "arrears": MONEY_OUT, "remaining": NULLABLE_MONEY,
        "next_payment": {"type": "object", "nullable": True, "required": ["date", "amount"],
                         "properties": {"date": DATE, "amount": MONEY_OUT}},
        "replan": {"type": "object", "nullable": True,
                   "required": ["offers", "available", "holds", "shortfall"],
                   "properties": {
                       "offers": {"type": "array", "items": {
                           "type": "object", "required": ["debt_id", "monthly", "locked"],
                           "properties": {"debt_id": {"type": "string"}, "monthly": MONEY_OUT,
                                          "locked": {"type": "boolean"}}}},
                       "available": MONEY_OUT, "holds": {"type": "boolean"},
                       "shortfall": MONEY_OUT}},
    },
}

STATUS = {
    "type": "object",
    "required": ["format", "today", "creditors", "breaches"],
    "properties": {
        "format": {"type": "string", "enum": ["parley-status/1"]},
        "today": DATE,
        "creditors": {"type": "array", "items": CREDITOR_STATUS},
        "breaches": {"type": "array", "items": {
            "type": "object", "required": ["contact", "rule"],
            "properties": {"contact": {"type": "integer", "minimum": 0},
                           "rule": {"type": "string"}}}},
    },
}
LIMITS_TEXT = (
    f"Limits: a body of at most {MAX_API_BODY // 1024} KiB (413); at most {MAX_DEBTS} "
    f"debts, {MAX_INCOME_ITEMS} income and {MAX_EXPENSE_ITEMS} expense items (422, e.g. "
    f"`debts: at most {MAX_DEBTS} debts`); `options.term_months` at most the "
    "jurisdiction's limit ("
    + ", ".join(f"{k} {v}" for k, v in TERM_LIMITS.items())
    + f"); a monthly schedule of at most {MAX_SCHEDULE_ENTRIES:,} payment lines.")

PROBLEMS = {"type": "array", "items": {"type": "object", "required": ["path", "message"],
                                       "properties": {"path": {"type": "string"},
                                                      "message": {"type": "string"}}}}


def openapi_document() -> dict:
    """The OpenAPI 3.0 document of API v1."""
    from .openapi_cases import SECURITY_SCHEMES, workspace_paths

    doc = {
        "openapi": "3.0.3",
        "info": {"title": "Parley API", "version": "1",
                 "description": "Plan a household's repayments from a parley-case/1 case "
                                "file (`/plan`, `/status`: nothing is stored, no login is "
                                "needed), and work on stored cases with a personal access "
                                "token (`/cases`, shared/API.md)."},
        "paths": {
            "/api/v1/plan": {"post": {
                "summary": "Every restructuring strategy for a case file",
                "operationId": "plan",
                "description": LIMITS_TEXT,
                "parameters": [{
                    "name": "schedule", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": list(SCHEDULE_FORMS),
                               "default": "monthly"},
                    "description": "Each strategy's schedule: `monthly` (every payment, the "
                                   "default), `yearly` (one row per 12 payments: `date` the "
                                   "last payment, `from` the first, `months`, payments and "
                                   "interest summed, balances after the last) or `none` "
                                   "(`[]`). A monthly schedule of more than "
                                   f"{MAX_SCHEDULE_ENTRIES:,} payment lines is refused (422)."}],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": CASE_FILE}}},
                "responses": {
                    "200": {"description": "The plan (parley-plan/1)",
                            "content": {"application/json": {"schema": PLAN}}},
                    "400": {"description": "The body is not JSON",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "413": {"description": f"The body is larger than {MAX_API_BODY:,} bytes",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "422": {"description": "Every problem, by field path (including a "
                                           "list over its limit, or a monthly schedule "
                                           "over its limit: path `schedule`)",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "429": {"description": "Too many requests"},
                },
            }},
            "/api/v1/status": {"post": {
                "summary": "Where every negotiation stands on a day, and the contacts that "
                           "break the collection rules",
                "operationId": "status",
                "parameters": [{
                    "name": "today", "in": "query", "required": False, "schema": DATE,
                    "description": "The day to report on; default: today in the case's "
                                   "jurisdiction's time zone. Events after it are refused."}],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": CASE_FILE}}},
                "responses": {
                    "200": {"description": "The status (parley-status/1)",
                            "content": {"application/json": {"schema": STATUS}}},
                    "400": {"description": "The body is not JSON",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "422": {"description": "Every problem, by field path",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "429": {"description": "Too many requests"},
                },
            }},
        },
    }
    doc["paths"].update(workspace_paths(CASE_FILE, PLAN, STATUS, PROBLEMS))
    doc["components"] = {"securitySchemes": SECURITY_SCHEMES}
    return doc
