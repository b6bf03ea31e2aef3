"""The plan matches the household's situation (issues 13.1-13.5, 14.4-14.6):
exact figures for the examples and for small built cases."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from engine_builders import make_case, make_debt

from webapp.domain.advice import letter_facts
from webapp.domain.budget import priority_payments_by_month, summarise
from webapp.domain.casefile import dump_case, loads, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.model import DebtKind, Options
from webapp.domain.plan import compute_strategies, make_plan
from webapp.domain.strategies import settlement, term_extension, token

EXAMPLES = Path(__file__).parent.parent / "data" / "examples"


def plan_of(name: str) -> dict:
    return make_plan(loads((EXAMPLES / name).read_bytes()))


def by_name(plan: dict) -> dict:
    return {s["name"]: s for s in plan["strategies"]}


# ---- 13.1: no reduced offer when the contractual payments fit ----------------


@pytest.mark.parametrize(("name", "available", "contractual", "surplus"), [
    # Vanquis 64 + Klarna 65 = 129 of 215.40: Klarna was offered 23.24 "cannot afford 65"
    ("gb-family.json", "215.40", "129.00", "86.40"),
    # 1900 + 1300 + 1400 = 4600 of 6216.67: 微粒贷 was offered 1180.38 against 1400
    ("cn-credit-cards.json", "6216.67", "4600.00", "1616.67"),
    ("us-with-priority.json", "1323.66", "473.00", "850.66"),
])
def test_when_the_contractual_payments_fit_no_reduction_is_offered(
        name, available, contractual, surplus):
    plan = plan_of(name)
    budget = plan["budget"]
    assert budget["available"] == available
    assert budget["contractual_payments"] == contractual
    assert budget["contractual_payments_fit"] is True and budget["surplus"] == surplus
    strategies = by_name(plan)
    for reduced in ("pro_rata", "term_extension"):
        assert strategies[reduced]["feasible"] is False
        assert strategies[reduced]["reason_code"] == "contractual_payments_fit"
        assert strategies[reduced]["offers"] == []
    # keep them, the surplus to the highest APR
    assert plan["recommended"] == "avalanche"
    case = loads((EXAMPLES / name).read_bytes())
    for offer in strategies["avalanche"]["offers"]:
        debt = next(d for d in case.debts if d.id == offer["debt_id"])
        assert Decimal(offer["monthly"]) >= debt.contractual_payment


def test_pro_rata_still_applies_when_the_contractual_payments_do_not_fit():
    case = make_case(make_debt("a", "600", "0", "80"), make_debt("b", "300", "0", "40"),
                     available="100")
    assert summarise(case).contractual_payments_fit is False  # 120 > 100
    [result] = compute_strategies(case, strategies=["pro_rata"])
    assert [o.monthly for o in result.offers] == [Decimal("66.67"), Decimal("33.33")]


def test_a_debt_without_a_contractual_payment_cannot_simply_be_kept_up():
    case = make_case(make_debt("a", "600", "0", "80"), make_debt("b", "300", "0", "0"),
                     available="1000")
    assert summarise(case).contractual_payments_fit is False
    assert compute_strategies(case, strategies=["pro_rata"])[0].feasible


# ---- 13.3: priority debts, ongoing payment and arrears ----------------------------


def test_rent_arrears_are_paid_until_cleared_then_the_money_goes_to_the_others():
    plan = plan_of("us-with-priority.json")
    # 1,300 of rent arrears at 1,250 a month: 1,250, then 50, then nothing
    # (it used to be 1,250 every month: 13,750 for 11 months)
    case = loads((EXAMPLES / "us-with-priority.json").read_bytes())
    assert priority_payments_by_month(case) == [125000, 5000, 0]
    assert plan["budget"]["priority"][0]["ends_on"] == "2027-03-01"
    assert plan["budget"]["available_changes"] == [
        {"date": "2027-03-01", "available": "2523.66"},
        {"date": "2027-04-01", "available": "2573.66"},
    ]
    avalanche = by_name(plan)["avalanche"]
    first = [row["payments"] for row in avalanche["schedule"][:3]]
    assert first == [
        {"amex": "1033.66", "sofi": "290.00"},
        {"amex": "2233.66", "sofi": "290.00"},  # + the 1,200 the rent no longer takes
        {"amex": "2283.66", "sofi": "290.00"},  # + all of the 1,250
    ]
    assert avalanche["months_to_clear"] == 7 and avalanche["total_interest"] == "955.64"
    # ...and no ongoing rent among the expenses: the plan says so
    assert {"code": "housing_costs_missing"} in plan["warnings"]


def test_a_car_loan_behind_pays_its_arrears_on_top_and_then_frees_them():
    plan = plan_of("us-car-loan.json")
    [car] = plan["budget"]["priority"]
    # 385 ongoing + 110 towards 770 of arrears: seven months, the last on 1 Sep 2027
    assert (car["monthly"], car["ongoing"], car["arrears"], car["arrears_payment"]) == (
        "495.00", "385.00", "770.00", "110.00")
    assert car["arrears_cleared_on"] == "2027-09-01" and car["at_risk"] == "goods"
    assert plan["budget"]["priority_payments"] == "495.00"
    assert plan["budget"]["available_changes"][0] == {"date": "2027-10-01",
                                                      "available": "498.33"}
    pro_rata = by_name(plan)["pro_rata"]
    rows = pro_rata["schedule"]
    assert rows[6]["payments"] == {"chase": "299.90", "midland": "88.43"}  # Sep: 388.33
    assert rows[7]["payments"] == {"chase": "384.85", "midland": "113.48"}  # Oct: 498.33
    assert pro_rata["months_to_clear"] == 22
    assert "housing_costs_missing" not in {w["code"] for w in plan["warnings"]}


def test_the_arrears_fields_round_trip_and_are_checked():
    raw = {"format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB",
           "start_date": "2027-01-31", "household": {"adults": 1, "children": 0},
           "income": [], "expenses": [],
           "debts": [{"id": "m", "creditor": "Bank", "kind": "mortgage", "balance": "90000",
                      "apr": "4", "contractual_payment": "600", "arrears": "1200.5",
                      "arrears_payment": "100"}]}
    case = parse_case(raw)
    assert case.debts[0].arrears == Decimal("1200.50")
    assert parse_case(dump_case(case)) == case
    assert dump_case(case)["debts"][0]["arrears_payment"] == "100.00"
    # 600 + 100 for 12 months, then 600 + 0.50, then 600
    assert priority_payments_by_month(case)[:14] == [70000] * 12 + [60050, 60000]


@pytest.mark.parametrize(("change", "path", "message"), [
    ({"kind": "credit_card"}, "debts[0].arrears", "only priority debts"),
    ({"arrears": "100000"}, "debts[0].arrears", "must be at most the balance"),
    ({"arrears_payment": None}, "debts[0].arrears_payment", "required with arrears"),
    ({"arrears": "0"}, "debts[0].arrears", "required with an arrears payment"),
])
def test_bad_arrears_name_the_field(change, path, message):
    debt = {"id": "m", "creditor": "Bank", "kind": "mortgage", "balance": "90000", "apr": "4",
            "contractual_payment": "600", "arrears": "1200", "arrears_payment": "100"}
    debt.update(change)
    raw = {"format": "parley-case/1", "currency": "GBP", "jurisdiction": "GB",
           "start_date": "2027-01-31", "household": {"adults": 1, "children": 0},
           "income": [], "expenses": [], "debts": [debt]}
    with pytest.raises(ValidationError) as exc:
        parse_case(raw)
    assert [(e.path, message in e.message) for e in exc.value.errors] == [(path, True)]


def test_a_priority_debt_without_a_balance_stays_an_ongoing_payment():
    case = make_case(make_debt("a", "500", "0", "50"),
                     make_debt("rent", "0", "0", "700", kind=DebtKind.RENT_ARREARS),
                     available="1000")
    assert priority_payments_by_month(case) == [70000]
    assert make_plan(case)["budget"]["available_changes"] == []


# ---- 13.4: beyond 60 months ------------------------------------------------------


def test_no_plan_offered_to_chinese_banks_runs_past_sixty_months():
    plan = plan_of("cn-four-cards.json")
    pro_rata = by_name(plan)["pro_rata"]
    # 160,000 at 2,140 a month is 75 months: more than 第七十条 allows
    assert pro_rata["feasible"] is False and pro_rata["reason_code"] == "over_term_cap"
    assert (pro_rata["months_needed"], pro_rata["term_cap"]) == (75, 60)
    assert pro_rata["needed_monthly"] == {"36": "4444.45", "60": "2666.67"}
    assert {"code": "long_plan", "strategies": ["pro_rata"]} in plan["warnings"]
    assert all((s["months_to_clear"] or 0) <= 60 for s in plan["strategies"])


def test_a_plan_beyond_sixty_months_elsewhere_is_shown_with_a_warning():
    case = make_case(make_debt("a", "7000", "0", "500"), available="100")
    plan = make_plan(case)
    assert by_name(plan)["pro_rata"]["months_to_clear"] == 70
    assert {"code": "long_plan", "strategies": ["pro_rata"]} in plan["warnings"]


# ---- 13.5: one rule, one figure ------------------------------------------------------


def test_every_strategy_quotes_the_same_interest_free_figure():
    # interest-free debts of 1,200 and 600; 1.00 a month is too little for anything
    case = make_case(make_debt("a", "1200", "0", "100"), make_debt("b", "600", "0", "100"),
                     available="1")
    needed = {r.name: r.needed_monthly for r in compute_strategies(case) if not r.feasible}
    assert set(needed) == {"pro_rata", "avalanche", "snowball", "term_extension", "settlement"}
    # 1,800 / 36 = 50.00 and / 60 = 30.00 everywhere (per-debt rounding gave
    # 33.34 + 16.67 = 50.01 for avalanche and the term extension)
    assert all(n == {36: Decimal("50.00"), 60: Decimal("30.00")} for n in needed.values())


# ---- 14.4 / 13.7: token payments ------------------------------------------------------


def test_token_payments_are_not_offered_beside_money_for_real_offers():
    plan = plan_of("gb-family.json")
    assert by_name(plan)["token"]["feasible"] is False
    assert by_name(plan)["token"]["reason_code"] == "real_offers_fit"


def test_a_chinese_token_offer_defaults_to_a_meaningful_amount():
    debts = (make_debt("a", "30000", "18", "1500"), make_debt("b", "20000", "18", "1000"))
    cn = make_case(*debts, available="-200", jurisdiction="CN")
    assert [o.monthly for o in token(cn, Decimal("-200")).offers] == [Decimal("100.00")] * 2
    gb = make_case(*debts, available="-200")
    assert [o.monthly for o in token(gb, Decimal("-200")).offers] == [Decimal("1.00")] * 2
    own = make_case(*debts, available="-200", jurisdiction="CN", token_offer=Decimal("50"))
    assert [o.monthly for o in token(own, Decimal("-200")).offers] == [Decimal("50.00")] * 2


def test_the_token_offer_round_trips_in_the_case_file():
    raw = {"format": "parley-case/1", "currency": "CNY", "jurisdiction": "CN",
           "start_date": "2027-01-31", "household": {"adults": 1, "children": 0},
           "income": [], "expenses": [], "debts": [], "options": {"token_offer": "200"}}
    case = parse_case(raw)
    assert case.options == Options(token_offer=Decimal("200.00"))
    assert dump_case(case)["options"] == {"token_offer": "200.00"}
    raw["options"] = {"token_offer": "0"}
    with pytest.raises(ValidationError) as exc:
        parse_case(raw)
    assert exc.value.errors[0].path == "options.token_offer"


# ---- 14.5: the chosen term ------------------------------------------------------------


def test_the_chosen_term_is_honoured_and_a_shorter_fit_is_reported():
    case = make_case(make_debt("a", "4200"), available="100", term_months=60)
    result = term_extension(case, Decimal("100"))
    # 4,200 / 60 = 70.00 a month; 42 months (100.00) would be the shortest
    assert result.extra["term_months"] == 60 and result.extra["shortest_term"] == 42
    assert result.offers[0].monthly == Decimal("70.00") and result.months_to_clear == 60
    default = make_case(make_debt("a", "4200"), available="100")
    assert term_extension(default, Decimal("100")).extra["term_months"] == 42


# ---- 13.2 / 14.6: settlement -----------------------------------------------------------


def test_a_settlement_beside_a_budget_that_clears_everything_is_flagged():
    plan = plan_of("us-with-priority.json")
    result = by_name(plan)["settlement"]
    # 14,500 owed; 1,323.66 + 2,523.66 + 2,573.66 × 5 = 16,715.62 ≥ 14,500 in month 7
    assert result["surplus_clears_in"] == 7 and result["surplus_warning"] is True
    facts = letter_facts(loads((EXAMPLES / "us-with-priority.json").read_bytes()))
    assert facts.settlement_refuted and facts.contractual_payments_fit


def test_a_settlement_from_a_tight_budget_is_not_flagged():
    case = make_case(make_debt("a", "10000", "20", "300"), available="50", lump_sum="3000")
    result = settlement(case, Decimal("50"))
    assert result.extra["surplus_clears_in"] == 200 and result.extra["surplus_warning"] is False


def test_without_a_lump_sum_the_plan_says_what_lump_sum_would_do():
    result = by_name(plan_of("gb-family.json"))["settlement"]
    # 40 % and 60 % of 2,410
    assert result["lump_sum_range"] == {"low": "964.00", "high": "1446.00"}


# ---- 14.3: the deficit ---------------------------------------------------------------


def test_a_deficit_plan_leads_with_the_priority_shortfall():
    plan = plan_of("gb-deficit.json")
    assert plan["budget"]["available"] == "-216.27"
    assert plan["warnings"][0] == {"code": "priority_shortfall", "amount": "216.27"}
    assert plan["recommended"] == "token"
    council, landlord = plan["budget"]["priority"]
    assert (council["at_risk"], council["arrears_cleared_on"]) == ("enforcement", "2027-08-01")
    assert (landlord["at_risk"], landlord["arrears_cleared_on"]) == ("home", "2028-03-01")
    assert date.fromisoformat(plan["budget"]["available_changes"][0]["date"]) == date(2027, 9, 1)


def test_a_priority_debt_behind_with_no_arrears_planned_is_flagged():
    raw = (EXAMPLES / "us-car-loan.json").read_text(encoding="utf-8")
    import json

    data = json.loads(raw)
    del data["debts"][0]["arrears"], data["debts"][0]["arrears_payment"]
    plan = make_plan(parse_case(data))
    # 45 days behind on the car loan, and only its 385 a month planned
    assert {"code": "priority_arrears_unplanned", "debts": ["car"]} in plan["warnings"]
    assert "priority_arrears_unplanned" not in {w["code"] for w in plan_of(
        "us-car-loan.json")["warnings"]}
