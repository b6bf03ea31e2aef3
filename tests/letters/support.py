"""Shared data for the letter tests: the example cases (our own copies in
``tests/data/letters``), hostile cases, a fixed "today" and the checks every
rendered letter must pass."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "letters"
EXAMPLES = {p.stem: p for p in sorted(DATA.glob("*.json"))}
TODAY = date(2026, 12, 1)

SCRIPT = "<script>alert(1)</script>"
#: 300 characters with no space to wrap at, Latin and Chinese mixed
LONG = "Ω" + ("Very-long-creditor-name-" * 13)[:298] + "尾"
#: the borrower's name: 300 characters too, the most a name may have
LONG_NAME = LONG[:297] + " 李四"


def load_raw(name: str) -> dict:
    """An example case file as a dict (a fresh copy each time)."""
    return json.loads(EXAMPLES[name].read_text(encoding="utf-8"))


def with_lump_sum(raw: dict) -> dict:
    """The case with a lump sum, so that its settlement strategy is feasible."""
    return {**raw, "lump_sum": raw.get("lump_sum") or "1000"}


def hostile_raw(jurisdiction: str = "GB", currency: str = "GBP") -> dict:
    """A case whose text fields try to break the templates."""
    return {
        "format": "parley-case/1",
        "currency": currency,
        "jurisdiction": jurisdiction,
        "start_date": "2027-01-31",
        "household": {"adults": 1, "children": 0},
        "income": [{"label": SCRIPT, "amount": "2000", "frequency": "monthly"}],
        "expenses": [
            {
                "label": "{{ 7*7 }} {% raw %}",
                "category": "food",
                "amount": "300",
                "frequency": "monthly",
            },
            {
                "label": "Miete & 房租 <b>",
                "category": "housing",
                "amount": "800",
                "frequency": "monthly",
            },
        ],
        "debts": [
            {
                "id": "x1",
                "creditor": SCRIPT,
                "kind": "credit_card",
                "balance": "1234.56",
                "apr": "20",
                "contractual_payment": "50",
                "account_ref": 'AC-<1>&"2"',
                "creditor_address": "1 <b>Bold</b> St\n\nLondon",
            },
            {
                "id": "x2",
                "creditor": LONG,
                "kind": "online_loan",
                "balance": "999.99",
                "apr": "0",
                "contractual_payment": "30",
                "account_ref_unknown": True,
            },
            {
                "id": "x3",
                "creditor": "招商银行 Credit Card Centre",
                "kind": "credit_card",
                "balance": "500",
                "apr": "18",
                "contractual_payment": "25",
                "account_ref": "6225 8800 1234 5678",
            },
            {
                "id": "rent",
                "creditor": "Landlord <i>&</i> 房东",
                "kind": "rent_arrears",
                "balance": "450",
                "apr": "0",
                "contractual_payment": "0",
                "account_ref": "TENANCY <1>",
            },
            {
                "id": "tax",
                "creditor": "HMRC",
                "kind": "tax",
                "balance": "300",
                "apr": "0",
                "contractual_payment": "20",
            },
        ],
        "lump_sum": "600",
        "borrower": {
            "name": LONG_NAME,
            "address": "Flat 2, {{ x }}, 上海市",
            "email": "",
            "phone": "",
        },
    }


#: Template text in the hostile case's fields: shown literally, never evaluated.
USER_TEMPLATE_TEXT = ("{{ 7*7 }} {% raw %}", "{{ x }}", "{{ wrong }}")
#: What must never reach a letter: Python's None, NaN, unrendered Jinja.
LEAKS = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bUndefined\b|\{\{|\{%|\}\}|%\}|\{#|#\}")


def assert_clean(html: str) -> None:
    """No leaked value or template syntax; the hostile script only ever escaped."""
    text = html.split("</style>", 1)[-1]
    for literal in USER_TEMPLATE_TEXT:
        text = text.replace(literal, "")
    leak = LEAKS.search(text)
    assert leak is None, f"{leak.group()!r} leaked into the letter"
    assert "<script" not in html
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "http://" not in html and "https://" not in html
