"""The proposal and reconsider letters say what the pro-rata shares are in proportion to."""

from __future__ import annotations

import pytest

from tests.letters.support import TODAY, load_raw
from webapp.domain.casefile import parse_case
from webapp.domain.plan import make_plan
from webapp.letters import render_letter

BY_BALANCE = {
    "en": "in proportion to what I owe them (pro rata)",
    "zh_CN": "本人按各笔欠款余额的比例分配上述可还款金额",
}
BY_CONTRACTUAL = {
    "en": "in proportion to the contractual payments on my accounts (pro rata)",
    "zh_CN": "本人按各笔欠款合同约定月还款额的比例分配上述可还款金额",
}


def _letter(basis: str | None, lang: str, key: str) -> str:
    raw = load_raw("gb-family")
    if basis is not None:
        raw["options"] = {**raw.get("options", {}), "pro_rata_basis": basis}
    case = parse_case(raw)
    debt = case.non_priority_debts[0].id
    extras = {"refused_on": "2026-11-20"} if key == "reconsider" else None
    return render_letter(case, debt, key, lang, today=TODAY, plan=make_plan(case),
                         strategy="pro_rata", extras=extras)


@pytest.mark.parametrize("key", ["proposal", "reconsider"])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_contractual_basis_is_explained_as_such(lang, key):
    html = _letter("contractual", lang, key)
    assert BY_CONTRACTUAL[lang] in html
    assert BY_BALANCE[lang] not in html


@pytest.mark.parametrize("basis", [None, "balance"])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_balance_basis_keeps_its_wording(lang, basis):
    html = _letter(basis, lang, "proposal")
    assert BY_BALANCE[lang] in html
    assert BY_CONTRACTUAL[lang] not in html


def test_a_plan_saved_before_the_basis_existed_reads_as_by_balance():
    case = parse_case(load_raw("gb-family"))
    plan = make_plan(case)
    for s in plan["strategies"]:
        s.pop("basis", None)
    html = render_letter(case, case.non_priority_debts[0].id, "proposal", "en", today=TODAY,
                         plan=plan, strategy="pro_rata")
    assert BY_BALANCE["en"] in html
