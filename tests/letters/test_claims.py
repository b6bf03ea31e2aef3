"""No letter contradicts its own budget statement (issue 13, "Done when").

Every letter type, for every example case (ours in ``tests/data/examples`` and
the shared ones in ``/work/shared/examples`` when present), in both languages,
with every feasible strategy it can carry: its text is checked against the plan.

* no "cannot afford" (无力按原约定) when the contractual payments fit (13.1);
* no "cannot offer more" (无力支付更多) beside a budget that clears the debts (13.2);
* no term above the jurisdiction's cap (13.4): at most 60 instalments in CN.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.letters.support import (
    SHARED_EXAMPLES,
    TODAY,
    required_extras,
    sendable,
    with_lump_sum,
)
from webapp.domain.advice import letter_facts
from webapp.domain.casefile import loads, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.plan import make_plan
from webapp.domain.strategies.base import offer_term_cap
from webapp.letters import CATALOGUE, LANGUAGES, render_letter, render_pdf
from webapp.letters.catalogue import BUDGET_STATEMENT, recipients

ROOTS = (Path(__file__).resolve().parents[1] / "data" / "examples", SHARED_EXAMPLES)
FILES = [p for root in ROOTS if root.is_dir() for p in sorted(root.glob("*.json"))]
CANNOT_AFFORD = {"en": "cannot afford", "zh_CN": "无力按原约定"}
CANNOT_OFFER_MORE = {"en": "cannot offer more", "zh_CN": "无力支付更多"}
#: how a letter states its number of monthly instalments
TERMS = (re.compile(r"共(\d+)期"), re.compile(r"in (\d+) monthly payments"),
         re.compile(r"Term: (\d+) monthly instalments"))


def example(file_name: str):
    """One of our example cases, ready for letters (a sender, account lines)."""
    return parse_case(sendable(json.loads((ROOTS[0] / file_name).read_text(encoding="utf-8"))))


def text_of(html: str) -> str:
    body = html.split("</style>", 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def strategies_for(plan: dict, key: str) -> list[str | None]:
    """Every feasible strategy the letter can carry (None: it carries no offer)."""
    row = CATALOGUE[key]
    if not row.makes_offer:
        return [None]
    feasible = [s["name"] for s in plan["strategies"] if s["feasible"]]
    return [name for name in feasible if row.allows(name)]


def letters(path: Path):
    """(case, plan, key, lang, strategy, debt id, text) of every letter of a case file."""
    raw = sendable(with_lump_sum(json.loads(path.read_text(encoding="utf-8"))))
    case = parse_case(raw)
    plan = make_plan(case)
    for key, row in CATALOGUE.items():
        if case.jurisdiction not in row.jurisdictions:
            continue
        for lang in LANGUAGES:
            for strategy in strategies_for(plan, key):
                for debt, letter in recipients(row, case):
                    extras = required_extras(key)
                    html = render_letter(case, debt.id, letter.key, lang, today=TODAY,
                                         plan=plan, strategy=strategy, extras=extras)
                    yield case, plan, letter.key, lang, strategy, debt.id, text_of(html)
            yield case, plan, BUDGET_STATEMENT.key, lang, None, None, text_of(render_letter(
                case, None, BUDGET_STATEMENT.key, lang, today=TODAY, plan=plan))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}-{p.stem}")
def test_no_letter_contradicts_its_own_budget(path):
    count = 0
    for case, _plan, key, lang, strategy, debt_id, text in letters(path):
        facts = letter_facts(case)
        where = f"{path.stem} {key} {lang} {strategy} {debt_id}"
        if facts.contractual_payments_fit:
            assert CANNOT_AFFORD[lang] not in text, where
        if facts.settlement_refuted:
            assert CANNOT_OFFER_MORE[lang] not in text, where
        cap = offer_term_cap(case.jurisdiction)
        if cap:
            for pattern in TERMS:
                for found in pattern.findall(text):
                    assert int(found) <= cap, where
        count += 1
    assert count > 0


def test_the_claims_are_checked_on_cases_that_would_make_them():
    """The check above has teeth: the shared examples' surpluses are there."""
    for name in ("gb-family", "cn-credit-cards", "us-with-priority"):
        case = loads((ROOTS[0] / f"{name}.json").read_bytes())
        assert letter_facts(case).contractual_payments_fit, name
    assert letter_facts(example("us-with-priority.json")
                        ).settlement_refuted


def test_a_tight_budget_still_pleads_hardship_and_offers_no_more():
    """The words are kept where they are true: a pro-rata offer below the
    contractual payment, a settlement the budget could not better."""
    raw = sendable(json.loads((ROOTS[0] / "us-car-loan.json").read_text(encoding="utf-8")))
    raw["debts"][1]["contractual_payment"] = "400"  # Chase's share, 299.90, is below it
    case = parse_case(raw)
    plan = make_plan(case)
    assert not letter_facts(case).contractual_payments_fit
    html = render_letter(case, "chase", "proposal", "en", today=TODAY, plan=plan)
    assert "I cannot afford the contractual payments of $400.00" in text_of(html)
    zh = render_letter(case, "chase", "proposal", "zh_CN", today=TODAY, plan=plan)
    assert "无力按原约定每月还款" in text_of(zh)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_a_settlement_beside_a_surplus_never_says_it_cannot_offer_more(lang):
    case = example("us-with-priority.json")
    html = render_letter(case, "amex", "settlement", lang, today=TODAY, plan=make_plan(case))
    text = text_of(html)
    assert CANNOT_OFFER_MORE[lang] not in text
    assert "$631.03" in text
    pdf = render_pdf(html)
    from tests.letters.test_render import pdf_text

    assert CANNOT_OFFER_MORE[lang] not in pdf_text(pdf).replace("\n", " ")


def test_a_settlement_from_a_tight_budget_still_says_so():
    raw = sendable(json.loads((ROOTS[0] / "us-car-loan.json").read_text(encoding="utf-8")))
    raw["debts"][1]["balance"] = "78000"  # 80,300 owed: about 160 months at 498.33
    raw["lump_sum"] = "3000"
    case = parse_case(raw)
    assert letter_facts(case).surplus_clears_in > 60
    assert not letter_facts(case).settlement_refuted
    html = render_letter(case, "chase", "settlement", "en", today=TODAY, plan=make_plan(case))
    assert "I cannot offer more" in text_of(html)


@pytest.mark.parametrize("key", ["proposal", "cn_instalment", "reconsider", "annual_review"])
def test_no_letter_offers_a_chinese_bank_more_than_sixty_instalments(key):
    case = example("cn-four-cards.json")
    # the plan such a case used to get: pro rata over 75 months (no cap outside CN)
    plan = make_plan(replace(case, jurisdiction="other"))
    pro_rata = next(s for s in plan["strategies"] if s["name"] == "pro_rata")
    assert pro_rata["feasible"] and pro_rata["months_to_clear"] == 75
    with pytest.raises(ValidationError) as exc:
        render_letter(case, "cmb", key, "zh_CN", today=TODAY, plan=plan, strategy="pro_rata")
    assert exc.value.errors[0].path == "strategy"
    assert "60 months" in exc.value.errors[0].message


def test_the_budget_statement_shows_each_priority_debts_catch_up_payment():
    case = example("gb-deficit.json")
    text = text_of(render_letter(case, None, BUDGET_STATEMENT.key, "en", today=TODAY,
                                 plan=make_plan(case)))
    # council tax 0 ongoing + 80 towards 640 of arrears; rent arrears 60 towards 900
    assert "Leeds City Council Council tax £640.00 £80.00" in text
    assert "Northside Lettings Rent arrears £900.00 £60.00" in text
    assert "Total priority payments £140.00" in text
