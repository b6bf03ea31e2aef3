from decimal import Decimal
from pathlib import Path

import pytest
from engine_builders import make_case, make_debt

from webapp.domain.casefile import loads
from webapp.domain.errors import ValidationError
from webapp.domain.plan import compute_strategies, make_plan
from webapp.domain.recovery import Recovery, recovery
from webapp.domain.replan import replan

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


def test_each_creditor_sees_what_it_recovers_under_each_plan_and_from_a_settlement():
    case = loads((EXAMPLES / "us-with-priority.json").read_bytes())
    amex = recovery(case, compute_strategies(case))[0]
    assert amex.debt_id == "amex" and amex.balance == Decimal("6100.00")
    # the contractual payments fit (issue 13.1): no pro rata, no token (issue 14.4)
    assert set(amex.by_strategy) == {"avalanche", "snowball"}
    assert amex.by_strategy["avalanche"].percent > Decimal("100")  # interest runs
    # settlement: 631.03 of 6100 = 10.3447...% → 10.34
    assert amex.settlement_now == Recovery(Decimal("631.03"), Decimal("10.34"), 0)


def test_recovery_of_pro_rata_and_token_payments():
    case = make_case(make_debt("a", "600", "0", "50"), make_debt("b", "300", "0", "50"),
                     available="90")
    a = recovery(case, compute_strategies(case))[0]
    assert a.by_strategy["pro_rata"] == Recovery(Decimal("600.00"), Decimal("100.00"), 10)
    deficit = make_case(make_debt("a", "600", "0", "50"), available="0")
    assert recovery(deficit, compute_strategies(deficit))[0].by_strategy["token"].months is None


def test_the_plan_document_carries_the_recovery_block():
    case = make_case(make_debt("a", "100"), available="10")
    block = make_plan(case)["recovery"]
    assert block[0]["by_strategy"]["pro_rata"] == {
        "total": "100.00",
        "percent": "100.00",
        "months": 10,
    }
    assert block[0]["settlement_now"] is None


def three_debts():
    return make_case(
        make_debt("a", "600"), make_debt("b", "300"), make_debt("c", "100"), available="100"
    )


def test_locking_a_counter_offer_re_splits_the_rest_pro_rata():
    result = replan(three_debts(), {"a": Decimal("70")})
    # 30 left for b and c, 300 : 100 → 22.50 and 7.50
    assert result.offers == {"a": Decimal("70.00"), "b": Decimal("22.50"), "c": Decimal("7.50")}
    assert result.holds and result.shortfall == Decimal("0.00")


def test_a_counter_offer_that_breaks_the_budget_says_by_how_much():
    result = replan(three_debts(), {"a": Decimal("99.50")})
    # b and c need at least 1.00 each: 99.50 + 2.00 - 100 = 1.50 short
    assert not result.holds and result.shortfall == Decimal("1.50")
    assert result.offers["b"] == Decimal("1.00")
    assert result.as_json()["offers"][0] == {"debt_id": "a", "monthly": "99.50", "locked": True}


def test_locking_every_creditor_just_checks_the_total():
    result = replan(three_debts(), {"a": Decimal("60"), "b": Decimal("30"), "c": Decimal("10")})
    assert result.holds and result.shortfall == Decimal("0.00")


def test_locking_an_unknown_debt_or_a_negative_amount_is_refused():
    with pytest.raises(ValidationError) as caught:
        replan(three_debts(), {"zzz": Decimal("5"), "a": Decimal("-1")})
    assert [e.path for e in caught.value.errors] == ["locked.zzz", "locked.a"]
