"""The OpenAPI 3 description of the JSON API (served at /api/v1/openapi.json).

The schemas mirror ``shared/CASEFILE.md``; ``tests/integration/test_api.py``
runs schemathesis against this document, so it cannot drift from the code.
"""

from __future__ import annotations

from ...domain.casefile import TEXT_LIMITS
from ...domain.model import DebtKind, ExpenseCategory, Frequency
from ...domain.strategies.term import TERM_LIMITS

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
    # No control characters but tab and newline; required text has a visible character.
    schema = {"type": "string", "maxLength": TEXT_LIMITS.get(key, 1000),
              "pattern": r"^[^\x00-\x08\x0b-\x1f\x7f]*$"}
    if required:
        schema["minLength"] = 1
        schema["pattern"] = r"^[^\x00-\x08\x0b-\x1f\x7f]*\S[^\x00-\x08\x0b-\x1f\x7f]*$"
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
            "children": {"type": "integer", "minimum": 0, "maximum": 100}}},
        "income": {"type": "array", "items": _item(False)},
        "expenses": {"type": "array", "items": _item(True)},
        "debts": {"type": "array", "items": {
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
                "account_ref_unknown": optional({
                    "type": "boolean",
                    "description": "The borrower has no account reference for this debt: "
                                   "letters ask the creditor to find the account by name "
                                   "and address (ignored when account_ref is given)"}),
            }}},
        "lump_sum": optional(AMOUNT),
        "options": optional({"type": "object", "properties": {
            "min_offer": optional(POSITIVE),
            "pro_rata_basis": optional({
                "type": "string", "enum": ["balance", "contractual", None],
                "description": "What pro-rata offers are in proportion to; a debt without a "
                               "contractual payment weighs 3% of its balance"}),
            # The schema allows the longest limit of any jurisdiction; the parser
            # also checks the case's own (TERM_LIMITS) and names it in a 422.
            "term_months": optional({
                "type": "integer", "minimum": 1, "maximum": max(TERM_LIMITS.values()),
                "description": "The longest term for term_extension; at most "
                               + ", ".join(f"{k} {v}" for k, v in TERM_LIMITS.items())}),
            "term_apr": optional({"oneOf": [
                {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,4})?$"},
                {"type": "integer", "minimum": 0, "maximum": 100}],
                "description": "The APR (%, 0 to 100) proposed for term_extension"}),
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
    },
}

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
        "needed_monthly": {"type": "object", "additionalProperties": MONEY_OUT},
        "months_to_clear": {"type": "integer", "nullable": True},
        "total_paid": {**MONEY_OUT, "nullable": True},
        "total_interest": {**MONEY_OUT, "nullable": True},
        "offers": {"type": "array", "items": OFFER},
        "review_date": {"type": "string", "format": "date"},
        "schedule": {"type": "array", "items": {
            "type": "object", "required": ["date", "payments", "balances"],
            "properties": {"date": {"type": "string", "format": "date"},
                           "payments": {"type": "object", "additionalProperties": MONEY_OUT},
                           "balances": {"type": "object", "additionalProperties": MONEY_OUT},
                           "interest": {"type": "object", "additionalProperties": MONEY_OUT}}}},
    },
}

PLAN = {
    "type": "object",
    "required": ["format", "budget", "strategies"],
    "properties": {
        "format": {"type": "string", "enum": ["parley-plan/1"]},
        "budget": {"type": "object", "required": ["monthly_income", "monthly_expenses",
                                                  "priority_payments", "available"],
                   "properties": {k: MONEY_OUT for k in ("monthly_income", "monthly_expenses",
                                                         "priority_payments", "available")}},
        "strategies": {"type": "array", "items": STRATEGY},
        "recovery": {"type": "array"},
    },
}

PROBLEMS = {"type": "array", "items": {"type": "object", "required": ["path", "message"],
                                       "properties": {"path": {"type": "string"},
                                                      "message": {"type": "string"}}}}


def openapi_document() -> dict:
    """The OpenAPI 3.0 document of API v1."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Parley API", "version": "1",
                 "description": "Plan a household's repayments from a parley-case/1 case "
                                "file. Nothing is stored; no login is needed."},
        "paths": {
            "/api/v1/plan": {"post": {
                "summary": "Every restructuring strategy for a case file",
                "operationId": "plan",
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": CASE_FILE}}},
                "responses": {
                    "200": {"description": "The plan (parley-plan/1)",
                            "content": {"application/json": {"schema": PLAN}}},
                    "400": {"description": "The body is not JSON",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "422": {"description": "Every problem, by field path",
                            "content": {"application/json": {"schema": PROBLEMS}}},
                    "429": {"description": "Too many requests"},
                },
            }},
        },
    }
