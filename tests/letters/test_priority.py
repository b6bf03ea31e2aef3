"""Priority creditors get their own letter: an arrangement for the arrears (issue 14.2).

The council (council tax), the landlord (rent) and the energy or water supplier
are written to about their arrears, on top of the ongoing payment, in English
and Chinese, with the budget statement enclosed.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from tests.letters.support import TODAY, load_raw
from webapp.domain.casefile import parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.plan import make_plan
from webapp.letters import render_bundle, render_letter, render_pdf
from webapp.letters.priority import arrears_terms


def text_of(html: str) -> str:
    body = html.split("</style>", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def example(name: str):
    case = parse_case(load_raw(name))
    return case, make_plan(case)


def test_the_arrears_are_the_balance_and_the_ongoing_payment_the_contractual_one():
    case, _plan = example("us-with-priority")
    rent = case.debts[0]
    terms = arrears_terms(rent, case)
    assert (terms.arrears, terms.ongoing, terms.arrears_payment) == (
        Decimal("1300.00"), Decimal("1250.00"), None)
    # once debts carry arrears and a catch-up payment (another change), they are used
    later = SimpleNamespace(balance=Decimal("9000"), contractual_payment=Decimal("1250"),
                            arrears=Decimal("1300"), arrears_payment=Decimal("150"))
    terms = arrears_terms(later, case)
    assert (terms.arrears, terms.arrears_payment, terms.months) == (
        Decimal("1300"), Decimal("150"), 9)
    assert terms.last_date == case.start_date.replace(month=case.start_date.month + 8)


@pytest.mark.parametrize(("name", "debt_id", "lang", "expected"), [
    ("gb-family", "energy", "en", [
        "the arrears of £420.00 in energy or water bills",
        "I will keep paying the ongoing payments for the energy or water I use of £35.00 a month",
        "do not disconnect my supply, and do not fit a prepayment meter",
        "Enclosed: budget statement"]),
    ("gb-family", "energy", "zh_CN", [
        "拖欠水电燃气费共计£420.00", "本人将继续按期缴纳每月£35.00的水电燃气费",
        "暂不停止供水、供电或供气", "附件：家庭收支情况说明"]),
    ("us-with-priority", "rent", "en", [
        "the arrears of $1,300.00 in rent", "the ongoing rent of $1,250.00 a month",
        "do not start eviction proceedings", "Enclosed: budget statement"]),
    ("us-with-priority", "rent", "zh_CN", [
        "拖欠房租共计US$1,300.00", "暂不解除租赁合同", "致"]),
])
def test_a_priority_creditor_is_asked_for_an_arrangement_for_the_arrears(
        name, debt_id, lang, expected):
    case, plan = example(name)
    html = render_letter(case, debt_id, "priority_arrears", lang, today=TODAY, plan=plan)
    text = text_of(html)
    for phrase in expected:
        assert phrase in text
    printed = re.sub(r"\s+", "", "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(html))).pages))
    assert re.sub(r"\s+", "", expected[0]) in printed


def test_council_tax_arrears_in_a_deficit_ask_for_time_not_a_promise():
    raw = load_raw("gb-family")
    raw["debts"].append({"id": "council", "creditor": "Leeds City Council", "kind": "council_tax",
                         "balance": "612.00", "apr": "0", "contractual_payment": "900",
                         "account_ref": "CT-55"})
    case = parse_case(raw)
    plan = make_plan(case)
    assert Decimal(plan["budget"]["available"]) < 0
    for lang, phrases in {
        "en": ["the arrears of £612.00 in council tax", "falls short of my essential costs",
               "put the arrears on hold for 60 days", "do not pass the account to enforcement"],
        "zh_CN": ["拖欠市政税共计£612.00", "本人每月仍短缺", "六十日的宽限期"],
    }.items():
        text = text_of(render_letter(case, "council", "priority_arrears", lang, today=TODAY,
                                     plan=plan))
        for phrase in phrases:
            assert phrase in text
        assert "I will keep paying" not in text and "本人将继续按期缴纳" not in text


def test_the_set_goes_to_the_priority_creditors_with_the_statement():
    case, plan = example("us-with-priority")
    files = render_bundle(case, "priority_arrears", "en", today=TODAY, fmt="html", plan=plan)
    assert sorted(files) == ["budget-statement.html", "rent.html"]
    statement = files["budget-statement.html"].decode()
    assert "Priority debts" in statement


def test_a_priority_letter_goes_to_no_one_else_and_no_one_else_gets_an_offer_letter():
    case, plan = example("us-with-priority")
    with pytest.raises(ValidationError) as caught:
        render_letter(case, "amex", "priority_arrears", "en", today=TODAY, plan=plan)
    assert caught.value.errors[0].path == "debt"
    with pytest.raises(ValidationError) as caught:
        render_letter(case, "rent", "proposal", "en", today=TODAY, plan=plan)
    assert caught.value.errors[0].path == "debt"
    tax_only = replace(case, debts=tuple(
        replace(d, kind=d.kind.__class__("tax")) if d.id == "rent" else d for d in case.debts))
    with pytest.raises(ValidationError) as caught:
        render_bundle(tax_only, "priority_arrears", "en", today=TODAY, fmt="html", plan=plan)
    assert caught.value.errors[0].path == "debts"
