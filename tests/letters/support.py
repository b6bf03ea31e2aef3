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


#: Who signs the examples' letters: the shared examples carry no sender, and a
#: letter needs one (issue 14.1).
SENDER = {"name": "Alex Example", "address": "1 Page Street\nLeeds\nLS1 1AA"}
#: The shared examples, beside the checkout (CI lays a copy of shared/ there).
SHARED_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples"


def sendable(raw: dict) -> dict:
    """The case file with what letters need and the examples lack: a sender,
    and for each debt without an account reference an explicit "I don't have it"."""
    raw = json.loads(json.dumps(raw))
    borrower = raw.get("borrower") or {}
    raw["borrower"] = {**SENDER, **{k: v for k, v in borrower.items() if v}}
    for debt in raw["debts"]:
        if not debt.get("account_ref"):
            debt["account_ref_unknown"] = True
    return raw


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
                # more than the budget: pro rata applies (issue 13.1)
                "contractual_payment": "900",
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
        # a night call to the family by a collector whose name is a script: the
        # letters written from the contact log must escape it too (issue 9)
        "contacts": [
            {"at": "2026-11-20T23:00:00" + {"CN": "+08:00", "US": "-05:00"}.get(
                jurisdiction, "+00:00"), "channel": "call", "party": "family",
             "connected": True, "debt_id": "x1", "collector": SCRIPT, "notes": "{{ wrong }}"},
        ],
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


def offered_strategy(plan: dict, key: str) -> str | None:
    """The strategy a letter of type ``key`` carries for ``plan`` when none is named
    (``webapp.letters.offers.select_strategy``): its own when the plan makes it,
    else the plan's recommended one if the letter can carry it; None when the
    plan makes no offer this letter can carry (e.g. token payments beside a
    budget that funds real offers, issue 14.4)."""
    from webapp.letters.catalogue import CATALOGUE

    row = CATALOGUE[key]
    feasible = {s["name"] for s in plan["strategies"] if s["feasible"]}
    if row.strategy in feasible:
        return row.strategy
    best = plan.get("recommended")
    if best in feasible and row.allows(best):
        return best
    return None


def in_deficit(case):
    """The case with its income cut to nothing, and its plan: token payments only."""
    from dataclasses import replace

    from webapp.domain.plan import make_plan

    short = replace(case, income=())
    return short, make_plan(short)
_BLOCKS = ("h1", "h2", "p", "li", "td", "th")


def html_text(html: str) -> str:
    """The words of a rendered letter as a reader sees them: one line per
    paragraph, list item or table cell, spaces collapsed, no markup or CSS."""
    import lxml.html

    doc = lxml.html.fromstring(html)
    lines = (re.sub(r"\s+", " ", el.text_content()).strip() for el in doc.iter(*_BLOCKS))
    return "\n".join(line for line in lines if line)


def pdf_text(data: bytes) -> str:
    """The text of a PDF, spaces collapsed (line breaks in the PDF become spaces)."""
    import io

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def us_collectors_raw() -> dict:
    """A US borrower with a car loan behind, a card still with the bank, a debt
    sold to a debt buyer and one passed to a collection agency."""
    return {
        "format": "parley-case/1",
        "currency": "USD",
        "jurisdiction": "US",
        "start_date": "2027-01-15",
        "household": {"adults": 1, "children": 1},
        "income": [{"label": "Paycheck", "amount": "1650", "frequency": "fortnightly"}],
        "expenses": [
            {"label": "Rent", "category": "housing", "amount": "1350", "frequency": "monthly"},
            {"label": "Groceries", "category": "food", "amount": "110", "frequency": "weekly"},
        ],
        "debts": [
            {"id": "car", "creditor": "Ally Auto", "kind": "secured_loan", "balance": "9800",
             "apr": "8.9", "contractual_payment": "320", "days_overdue": 45,
             "account_ref": "ALLY-1"},
            {"id": "chase", "creditor": "Chase", "kind": "credit_card", "balance": "4200",
             "apr": "27.5", "contractual_payment": "126", "days_overdue": 60,
             "account_ref": "CHASE-2"},
            {"id": "midland", "creditor": "Midland Credit Management", "kind": "credit_card",
             "balance": "2300", "apr": "0", "contractual_payment": "0", "days_overdue": 400,
             "holder": "debt_buyer", "creditor_address": "PO Box 2037\nWarren, MI 48090",
             "account_ref": "MCM-3"},
            {"id": "allied", "creditor": "Allied Collection Services", "kind": "other",
             "balance": "850", "apr": "0", "contractual_payment": "0", "days_overdue": 200,
             "holder": "collection_agency", "account_ref_unknown": True},
        ],
        "lump_sum": "900",
        "borrower": {"name": "Dana Reyes", "address": "12 Elm Street\nToledo, OH 43604"},
    }


def able_to_offer(case, plan, key):
    """``(case, plan)`` on which letter ``key`` can be written: the same
    household in deficit when the budget cannot make that letter's offer
    (token payments beside a budget that funds real offers, issue 14.4)."""
    from webapp.letters.catalogue import CATALOGUE

    if CATALOGUE[key].makes_offer and offered_strategy(plan, key) is None:
        short, short_plan = in_deficit(case)
        if offered_strategy(short_plan, key) is not None:
            return short, short_plan
    return case, plan


def writable(case, plan, key) -> bool:
    """Whether letter ``key`` can be written for ``(case, plan)``: it makes no
    offer, or the plan makes one it can carry (a reduced offer is not made when
    the contractual payments fit, issue 13.1)."""
    from webapp.letters.catalogue import CATALOGUE

    return not CATALOGUE[key].makes_offer or offered_strategy(plan, key) is not None


#: What each letter cannot be written without (the figures of a counter-offer
#: come from the negotiation record on the web; here they are given).
REQUIRED_EXTRAS = {
    "confirmation": {"call_date": "2026-11-20"},
    "counter_proposal": {"countered_on": "2026-11-10", "their_monthly": "1500.00",
                         "counter_monthly": "1200.00", "offered_monthly": "80.00",
                         "available": "2000.00", "others_left": "500.00"},
}


def required_extras(key: str) -> dict:
    """The extras letter ``key`` needs (a fresh copy)."""
    return dict(REQUIRED_EXTRAS.get(key, {}))
