"""Every letter type renders in every language, for the example cases and for
hostile ones: complete, escaped, no leaks, and the offer to the cent."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from markupsafe import escape

from tests.letters.support import (
    EXAMPLES,
    LONG_NAME,
    SCRIPT,
    TODAY,
    assert_clean,
    in_deficit,
    offered_strategy,
)
from webapp.domain.errors import ValidationError
from webapp.domain.model import Borrower
from webapp.formatting import format_money
from webapp.letters import CATALOGUE, LANGUAGES, build_context, render_html, render_letter
from webapp.letters.catalogue import locale_for, recipients

#: Every field of every letter, filled with text that must come out escaped.
FULL_EXTRAS = {
    "offer_by": "2027-01-05",
    "deadline": "2027-01-20",
    "refused_on": "2026-11-02",
    "call_date": "2026-11-20",
    "arrangement_since": "2025-12-01",
    "circumstances": "Lost my job <in> March & 失业",
    "reason": "Illness; 生病 <b>",
    "dispute": "Balance {{ wrong }}",
    "contact_times": "weekdays 10:00–16:00",
    "agent": "Ms <Li> 李",
    "sent_on": "2026-10-20",
    "documents": "Payslips <for> May & June; 工资单",
    "countered_on": "2026-11-10",
    "their_monthly": "1500.00",
    "counter_monthly": "1200.00",
    "offered_monthly": "80.00",
    "available": "2000.00",
    "shortfall": "12.34",
    "others_left": "500.00",
    # the UK ombudsman's letter needs the day the borrower complained (issue 9)
    "complained_on": "2026-09-01",
}
#: What a letter cannot be written without (the rest must fall back gracefully).
REQUIRED_EXTRAS = ("call_date", "their_monthly", "counter_monthly", "complained_on")


def extras_for(key: str, full: bool) -> dict:
    names = {f.name for f in CATALOGUE[key].fields}
    if full:
        return {k: v for k, v in FULL_EXTRAS.items() if k in names}
    # only what has no default: the rest must fall back gracefully
    return {k: FULL_EXTRAS[k] for k in names if k in REQUIRED_EXTRAS}


def _combos():
    for name, path in EXAMPLES.items():
        jurisdiction = json.loads(path.read_text(encoding="utf-8"))["jurisdiction"]
        for key, row in CATALOGUE.items():
            if jurisdiction in row.jurisdictions:
                for lang in LANGUAGES:
                    yield pytest.param(name, key, lang, id=f"{name}-{key}-{lang}")


def expected_amount(plan: dict, strategy: str, debt_id: str) -> Decimal:
    found = next(s for s in plan["strategies"] if s["name"] == strategy)
    offer = next(o for o in found["offers"] if o["debt_id"] == debt_id)
    return Decimal(offer.get("monthly") or offer["amount"])


@pytest.mark.parametrize("full", [False, True], ids=["defaults", "all-fields"])
@pytest.mark.parametrize(("name", "key", "lang"), list(_combos()))
def test_example_letters_render_clean_with_the_offer(examples, name, key, lang, full):
    case, plan = examples[name]
    locale = locale_for(lang, case.jurisdiction)
    first = CATALOGUE[key]
    strategy = offered_strategy(plan, key) if first.makes_offer else None
    targets = recipients(first, case)
    if first.priority:
        assert targets == [(d, first) for d in case.priority_debts]
    if first.makes_offer and strategy is None:
        # the plan makes no offer this letter carries: refused, naming the strategy
        with pytest.raises(ValidationError) as exc:
            render_letter(case, targets[0][0].id, key, lang, today=TODAY,
                          plan=plan, extras=extras_for(key, full))
        assert exc.value.errors[0].path == "strategy"
        return
    for debt, row in targets:
        html = render_letter(
            case, debt.id, row.key, lang, today=TODAY, plan=plan,
            strategy=strategy, extras=extras_for(row.key, full)
        )
        assert_clean(html)
        assert str(escape(debt.creditor)) in html
        assert f'<html lang="{locale.replace("_", "-")}">' in html
        if row.makes_offer:
            amount = expected_amount(plan, strategy, debt.id)
            assert format_money(amount, case.currency, locale) in html
            assert ("budget statement" in html) or ("家庭收支情况说明" in html)
        if full:
            assert "Ms &lt;Li&gt;" in html or "agent" not in extras_for(key, True)
        if lang == "zh_CN":
            assert "此致" in html and "敬礼" in html
        else:
            assert "Dear Sir or Madam" in html


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_budget_statement_adds_up(examples, name, lang):
    case, plan = examples[name]
    html = render_letter(case, None, "budget_statement", lang, today=TODAY, plan=plan)
    assert_clean(html)
    locale = locale_for(lang, case.jurisdiction)
    for field in ("monthly_income", "monthly_expenses", "priority_payments", "available"):
        assert format_money(Decimal(plan["budget"][field]), case.currency, locale) in html
    for item in case.income + case.expenses:
        assert str(escape(item.label)) in html
    # the statement lists the offers of the plan's strategy (pro rata, else the
    # recommended one)
    name = "pro_rata" if plan["strategies"][0]["feasible"] else plan["recommended"]
    for offer in next(s for s in plan["strategies"] if s["name"] == name)["offers"]:
        assert format_money(Decimal(offer["monthly"]), case.currency, locale) in html


def _hostile_combos():
    for jurisdiction in ("GB", "CN"):
        for key, row in CATALOGUE.items():
            if jurisdiction in row.jurisdictions:
                for lang in LANGUAGES:
                    yield pytest.param(jurisdiction, key, lang, id=f"{jurisdiction}-{key}-{lang}")


@pytest.mark.parametrize(("jurisdiction", "key", "lang"), list(_hostile_combos()))
def test_hostile_values_are_escaped_and_never_break_a_letter(hostile, jurisdiction, key, lang):
    case, plan = hostile[jurisdiction]
    if CATALOGUE[key].makes_offer and offered_strategy(plan, key) is None:
        case, plan = in_deficit(case)  # token payments: only when the budget is short
    for full in (False, True):
        for debt, row in recipients(CATALOGUE[key], case):
            html = render_letter(
                case, debt.id, row.key, lang, today=TODAY, plan=plan,
                strategy=CATALOGUE[key].strategy, extras=extras_for(row.key, full)
            )
            assert_clean(html)
            assert str(escape(debt.creditor)) in html
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or debt.creditor != SCRIPT
    statement = render_letter(case, None, "budget_statement", lang, today=TODAY, plan=plan)
    assert_clean(statement)
    assert "&lt;script&gt;" in statement  # the income label
    assert "{{ 7*7 }}" in statement and "49" not in statement


def test_hostile_reference_and_address_are_escaped(hostile):
    case, plan = hostile["GB"]
    html = render_letter(case, "x1", "proposal", "en", today=TODAY, plan=plan)
    assert "AC-&lt;1&gt;&amp;&#34;2&#34;" in html or "AC-&lt;1&gt;&amp;&quot;2&quot;" in html
    assert "1 &lt;b&gt;Bold&lt;/b&gt; St" in html and "<p>London</p>" in html
    assert LONG_NAME in html


def test_a_letter_without_a_sender_or_account_line_is_refused_naming_what_is_missing(
        examples):
    """Issue 14.1: it used to go out with no sender, no account line, unsigned."""
    case, plan = examples["gb-family"]
    bare = replace(
        case,
        borrower=Borrower(),
        debts=tuple(replace(d, account_ref="", account_ref_unknown=False) for d in case.debts),
    )
    for lang in LANGUAGES:
        with pytest.raises(ValidationError) as caught:
            render_letter(bare, "vanq", "proposal", lang, today=TODAY, plan=plan)
        assert {e.path for e in caught.value.errors} == {
            "borrower.name", "borrower.address", "debts[1].account_ref"}


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_letter_prints_the_sender_and_the_account_line_it_was_given(examples, lang):
    case, plan = examples["gb-family"]
    html = render_letter(case, "energy", "priority_arrears", lang, today=TODAY, plan=plan)
    text = " ".join(html.split())
    assert "Sam Example" in text and "12 Acacia Avenue" in text
    assert "REF-ENERGY-1000" in text
    # "I don't have it": the account line says so instead of being left out
    html = render_letter(case, "vanq", "proposal", lang, today=TODAY, plan=plan)
    unknown = {"en": "I do not have the account reference: please find the account from my "
                     "name and address above.",
               "zh_CN": "信用卡卡号：本人暂无法提供，请根据本人姓名及联系地址查询该账户"}
    assert unknown[lang] in html
    signed = {"en": '<p class="signature">Sam Example</p>', "zh_CN": "申请人（签名）：Sam Example"}
    assert signed[lang] in html


def test_a_misspelt_template_name_fails_loudly(examples, tmp_path):
    from jinja2 import Environment, StrictUndefined, UndefinedError

    env = Environment(undefined=StrictUndefined)
    with pytest.raises(UndefinedError):
        env.from_string("{{ offer.monthy }}").render(offer={})
    case, plan = examples["gb-family"]
    ctx = build_context(case, "vanq", "proposal", "en", today=TODAY, plan=plan)
    assert render_html(ctx) == render_html(ctx)  # deterministic: what the digest relies on


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_proposal_only_pleads_hardship_when_the_offer_is_below_the_contractual_payment(
        lang):
    from webapp.domain.casefile import parse_case
    from webapp.domain.plan import make_plan

    raw = json.loads((EXAMPLES["gb-family"]).read_text(encoding="utf-8"))
    raw["income"] = [{"label": "Wages", "amount": "9000", "frequency": "monthly"}]
    case = parse_case(raw)
    plan = make_plan(case)
    debt = case.non_priority_debts[0]
    html = render_letter(case, debt.id, "proposal", lang, today=TODAY, plan=plan)
    hardship = "cannot afford" if lang == "en" else "无力按原约定"
    assert hardship not in html
    # Income that leaves 10.00 a month for every creditor: offers far below contractual.
    from webapp.domain.budget import summarise

    raw["income"] = []
    shortfall = -summarise(parse_case(raw)).available
    raw["income"] = [{"label": "Wages", "amount": str(shortfall + 10), "frequency": "monthly"}]
    case = parse_case(raw)
    assert summarise(case).available == Decimal("10.00")
    html = render_letter(case, debt.id, "proposal", lang, today=TODAY, plan=make_plan(case))
    assert hardship in html
