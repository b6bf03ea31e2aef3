import json
from decimal import Decimal
from pathlib import Path

import pytest
from engine_builders import make_case, make_debt

from webapp.domain.casefile import loads
from webapp.domain.errors import ValidationError
from webapp.domain.model import BudgetItem, Frequency
from webapp.domain.plan import STRATEGIES, compute_strategies, make_plan

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


def example(name):
    return loads((EXAMPLES / name).read_bytes())


def test_weekly_and_four_weekly_incomes_make_the_gb_budget():
    plan = make_plan(example("gb-family.json"))
    # income 310 × 52/12 = 1343.333... + 169.60 × 13/12 = 183.7333... = 1527.0666 → 1527.07
    # expenses 725 + 95 × 52/12 = 411.666... + 140 = 1276.666... → 1276.67
    # available 1527.07 - 1276.67 - 35.00 (the energy arrears) = 215.40
    assert plan["budget"] == {
        "monthly_income": "1527.07",
        "monthly_expenses": "1276.67",
        "priority_payments": "35.00",
        "available": "215.40",
        "in_deficit": False,
        # issue 13.1: Vanquis 64 + Klarna 65 fit in 215.40, leaving 86.40
        "contractual_payments": "129.00",
        "contractual_payments_fit": True,
        "surplus": "86.40",
        # the energy arrears: 420 at 35 a month, the last payment on 2027-12-15;
        # from 2028-01-15 the 35 goes to the other creditors
        "priority": [{
            "debt_id": "energy", "creditor": "Octopus Energy", "kind": "utility",
            "at_risk": "supply", "monthly": "35.00", "ongoing": "35.00", "arrears": None,
            "arrears_payment": None, "arrears_cleared_on": None, "ends_on": "2027-12-15",
        }],
        "available_changes": [{"date": "2028-01-15", "available": "250.40"}],
    }


def test_the_plan_has_the_contract_shape():
    plan = make_plan(example("us-with-priority.json"))
    assert plan["format"] == "parley-plan/1"
    assert [s["name"] for s in plan["strategies"]] == list(STRATEGIES)
    # issue 13.1: 1323.66 a month covers the 473.00 of contractual payments, so
    # pro rata (a reduced offer) is not made; avalanche keeps them
    pro_rata = plan["strategies"][0]
    assert pro_rata["feasible"] is False and pro_rata["reason_code"] == "contractual_payments_fit"
    avalanche = plan["strategies"][1]
    assert avalanche["feasible"] is True and avalanche["total_interest"] == "955.64"
    assert set(avalanche["offers"][0]) == {"debt_id", "creditor", "monthly"}
    assert set(avalanche["schedule"][0]) == {"date", "payments", "balances", "interest"}
    assert avalanche["schedule"][0]["date"] == "2027-02-01"
    assert plan["recommended"] == "avalanche"
    settlement = plan["strategies"][4]
    assert settlement["offers"][0] == {
        "debt_id": "amex",
        "creditor": "American Express",
        "amount": "631.03",
        "percent": "10.34",
    }
    # issue 14.4: no token payments beside a budget that funds real offers
    token = plan["strategies"][5]
    assert token["feasible"] is False and token["reason_code"] == "real_offers_fit"
    json.dumps(plan)  # JSON-ready: no Decimal, no date


def test_an_infeasible_strategy_has_a_reason_and_the_amounts_needed():
    plan = make_plan(example("cn-credit-cards.json"))
    settlement = plan["strategies"][4]
    assert settlement["feasible"] is False and settlement["reason"]
    # 79 000 / 36 = 2194.444... → 2194.45; / 60 = 1316.666... → 1316.67
    assert settlement["needed_monthly"] == {"36": "2194.45", "60": "1316.67"}
    assert settlement["months_to_clear"] is None and settlement["schedule"] == []


def test_a_deficit_budget_leaves_only_token_payments():
    case = make_case(
        make_debt("a", "1000", "20", "30"), make_debt("b", "500", "0", "20"), available="-40"
    )
    plan = make_plan(case)
    assert plan["budget"]["available"] == "-40.00" and plan["budget"]["in_deficit"]
    feasible = {s["name"] for s in plan["strategies"] if s["feasible"]}
    assert feasible == {"token"}
    assert plan["strategies"][-1]["recommended"] is True


def test_a_case_with_no_non_priority_debts_has_nothing_to_plan():
    plan = make_plan(make_case(available="10"))
    assert all(s["months_to_clear"] in (0, None) for s in plan["strategies"])
    assert plan["recovery"] == []


def test_strategies_can_be_chosen_and_unknown_ones_are_refused():
    case = make_case(make_debt("a", "100"), available="10")
    assert [r.name for r in compute_strategies(case, strategies=["token"])] == ["token"]
    with pytest.raises(ValidationError, match="unknown strategy 'magic'"):
        make_plan(case, strategies=["magic"])


def test_a_weekly_income_is_turned_into_a_monthly_amount_for_the_plan():
    case = make_case(make_debt("a", "520"), available="0")
    case = case.__class__(
        **{**case.__dict__, "income": (BudgetItem("w", Decimal("12"), Frequency.WEEKLY),)}
    )
    # 12 × 52 / 12 = 52.00 a month: 520 in 10 months.
    assert make_plan(case)["strategies"][0]["months_to_clear"] == 10


def test_every_infeasible_strategy_says_why_in_a_code_a_page_can_translate():
    from tests.unit.engine_builders import make_case, make_debt
    from webapp.domain.plan import compute_strategies

    case = make_case(make_debt("a", balance="9000", apr="30", contractual="400"),
                     make_debt("b", balance="100"), available="1.50", min_offer="1")
    codes = {r.name: r.extra.get("reason_code") for r in compute_strategies(case)
             if not r.feasible}
    assert codes["avalanche"] == codes["snowball"] == "below_contractual"
    assert codes["settlement"] == "no_lump_sum"
    assert codes["term_extension"] == "term_does_not_fit"
    assert codes["pro_rata"] == "below_min_offer"  # 1.50 < 1 × 2 creditors
