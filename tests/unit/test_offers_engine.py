"""Issue 12 in the engine: settlement floors, a term's lump sum to fit, the
recommendation with its reasons, the creditor's alternatives, and the case
file's new optional fields."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.unit.engine_builders import make_case, make_debt
from webapp.domain import recommend as r
from webapp.domain.budget import summarise
from webapp.domain.casefile import dump_case, loads, parse_case
from webapp.domain.creditor_view import alternatives, months_to_reach
from webapp.domain.errors import ValidationError
from webapp.domain.plan import compute_strategies, make_plan
from webapp.domain.strategies import settlement, term_extension
from webapp.domain.strategies.term import lump_sum_to_fit

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"


# --- settlement floor -----------------------------------------------------------------

def test_a_settlement_below_30_percent_is_marked_with_the_lump_sums_for_40_and_60():
    case = make_case(make_debt("a", "10000"), make_debt("b", "4500"), available="0",
                     lump_sum="1500")
    result = settlement(case, Decimal("0"))
    assert result.feasible
    assert [o.percent for o in result.offers] == [Decimal("10.34"), Decimal("10.34")]
    extra = result.extra
    assert extra["share"] == Decimal("10.34") and extra["floor"] == Decimal("30")
    assert extra["below_floor"] is True and extra["below_floor_debts"] == ("a", "b")
    assert extra["lump_sum_range"] == {"low": Decimal("5800.00"), "high": Decimal("8700.00")}


def test_a_settlement_at_the_floor_is_not_marked():
    case = make_case(make_debt("a", "10000"), available="0", lump_sum="3000")
    extra = settlement(case, Decimal("0")).extra
    assert extra["share"] == Decimal("30.00") and extra["below_floor"] is False
    assert extra["below_floor_debts"] == ()


def test_the_floor_is_the_cases_own_option():
    case = make_case(make_debt("a", "10000"), available="0", lump_sum="3000",
                     settlement_floor=Decimal("45"))
    extra = settlement(case, Decimal("0")).extra
    assert extra["floor"] == Decimal("45") and extra["below_floor"] is True


# --- a term extension that does not fit ---------------------------------------------------

def test_the_lump_sum_that_makes_a_term_fit_is_the_smallest_that_does():
    # 9,000 interest-free over 60 months on 100 a month: about 6,000 fits, so about
    # 3,000 now; each debt's level payment is rounded up to the cent, so 59 cents more
    case = make_case(make_debt("a", "6000", contractual="300"),
                     make_debt("b", "3000", contractual="300"), available="100",
                     jurisdiction="CN")
    result = term_extension(case, Decimal("100"))
    assert not result.feasible
    assert result.extra["needed_at_max_term"] == Decimal("150.00")
    assert result.extra["lump_sum_to_fit"] == Decimal("3000.59")
    from webapp.domain.strategies.base import split_cents
    from webapp.domain.strategies.term import _fitting

    for lump, fits in ((300_059, True), (300_058, False)):
        rest = split_cents(900_000 - lump, [600_000, 300_000])
        assert (_fitting(rest, 0, 60, 10_000) is not None) is fits
    assert result.extra["term_months"] == 60 and result.extra["owed"] == Decimal("9000.00")


def test_with_interest_the_lump_sum_leaves_a_balance_the_budget_can_amortise():
    balances, apr = [500_000, 250_000], 180_000  # 5,000 and 2,500 at 18%
    lump = lump_sum_to_fit(balances, apr, 60, 10_000)
    from webapp.domain.strategies.base import split_cents
    from webapp.domain.strategies.term import _fitting

    rest = split_cents(sum(balances) - lump, balances)
    assert _fitting(rest, apr, 60, 10_000) is not None
    fewer = split_cents(sum(balances) - lump + 1, balances)
    assert _fitting(fewer, apr, 60, 10_000) is None


def test_with_nothing_left_each_month_only_paying_everything_fits():
    assert lump_sum_to_fit([100_000, 50_000], 0, 60, 0) == 150_000


# --- the recommendation -----------------------------------------------------------------

def plan_of(case):
    budget = summarise(case)
    return budget, compute_strategies(case, budget=budget)


def test_fair_shares_for_several_creditors_who_cannot_be_paid_in_full():
    case = make_case(make_debt("a", "3000", "20", "150"), make_debt("b", "2000", "25", "100"),
                     available="120")
    rec = r.recommendation(*plan_of(case))
    assert (rec.name, rec.reason) == ("pro_rata", r.FAIR_SHARES)
    assert rec.others["avalanche"] == r.INFEASIBLE
    assert rec.others["term_extension"] == r.FAIR_SHARES_FIRST
    assert rec.others["settlement"] == r.INFEASIBLE  # no lump sum
    assert rec.others["token"] == r.NOT_NEEDED


def test_a_settlement_when_the_lump_sum_reaches_a_realistic_share():
    # 10 a month would take 500 months; 2,000 is 40% of 5,000
    case = make_case(make_debt("a", "3000", "20", "150"), make_debt("b", "2000", "25", "100"),
                     available="10", lump_sum="2000")
    rec = r.recommendation(*plan_of(case))
    assert (rec.name, rec.reason) == ("settlement", r.SETTLEMENT_REALISTIC)
    assert rec.others["pro_rata"] == r.SETTLEMENT_CLEARS
    assert make_plan(case)["recommended"] == "settlement"


def test_no_settlement_below_the_floor_nor_beside_a_budget_that_clears_the_debts():
    low = make_case(make_debt("a", "3000", "20", "150"), make_debt("b", "2000", "25", "100"),
                    available="10", lump_sum="1000")
    rec = r.recommendation(*plan_of(low))
    assert rec.name == "pro_rata" and rec.others["settlement"] == r.BELOW_FLOOR
    rich = make_case(make_debt("a", "3000", "20", "150"), make_debt("b", "2000", "25", "100"),
                     available="200", lump_sum="2500")
    rec = r.recommendation(*plan_of(rich))
    assert rec.name == "pro_rata" and rec.others["settlement"] == r.SURPLUS


def test_a_lump_sum_meets_a_deficit_before_any_settlement():
    case = make_case(make_debt("a", "3000", "20", "150"), available="-50", lump_sum="2000")
    rec = r.recommendation(*plan_of(case))
    assert rec.name == "token" and rec.others["settlement"] == r.PRIORITY_FIRST


def test_keeping_the_contractual_payments_when_they_fit():
    case = make_case(make_debt("a", "3000", "20", "150"), make_debt("b", "2000", "25", "100"),
                     available="400", lump_sum="2000")
    rec = r.recommendation(*plan_of(case))
    assert (rec.name, rec.reason) == ("avalanche", r.CONTRACTUAL_FIT)
    assert rec.others["snowball"] == r.INTEREST_CONTINUES
    assert rec.others["pro_rata"] == r.INFEASIBLE  # its reason: the payments fit
    assert rec.others["settlement"] == r.SURPLUS


# --- the creditor's alternatives ---------------------------------------------------------

def test_a_creditors_share_of_the_budget_and_a_us_sale_price():
    case = make_case(make_debt("a", "5200"), make_debt("b", "2600"), available="300",
                     jurisdiction="US")
    alt = alternatives(case, "a")
    assert not alt.in_deficit and alt.budget_share == Decimal("200.00")
    assert alt.sale_price == Decimal("208.00") and alt.sale_ratio == Decimal("0.04")
    assert alternatives(case, "b").budget_share == Decimal("100.00")


def test_nothing_to_pay_from_in_deficit_and_no_sale_figure_outside_the_us():
    alt = alternatives(make_case(make_debt("a", "5200"), available="-20"), "a")
    assert alt.in_deficit and alt.budget_share == Decimal("0.00")
    assert alt.sale_price is None and alt.sale_source is None


def test_months_to_reach_a_sum():
    assert months_to_reach(Decimal("1500"), Decimal("200")) == 8
    assert months_to_reach(Decimal("1500"), Decimal("0")) is None


# --- the case file ----------------------------------------------------------------------

def test_the_new_optional_fields_round_trip():
    raw = json.loads((EXAMPLES / "gb-family.json").read_text())
    raw["household"]["car"] = False
    raw.setdefault("options", {})["settlement_floor"] = "35.5"
    raw["spending_reasons"] = {"transport": "Night shifts: no buses", "food": "Coeliac diet"}
    case = loads(json.dumps(raw))
    assert case.household.car is False
    assert case.options.settlement_floor == Decimal("35.50")
    # kept in category order, whatever the file's order
    assert case.spending_reasons == (("food", "Coeliac diet"),
                                     ("transport", "Night shifts: no buses"))
    out = dump_case(case)
    assert out["household"]["car"] is False and out["options"]["settlement_floor"] == "35.50"
    assert out["spending_reasons"] == {"food": "Coeliac diet",
                                       "transport": "Night shifts: no buses"}
    assert parse_case(out) == case


def test_without_them_old_files_are_written_back_unchanged():
    raw = json.loads((EXAMPLES / "gb-family.json").read_text())
    out = dump_case(loads(json.dumps(raw)))
    assert "car" not in out["household"] and "spending_reasons" not in out
    assert "settlement_floor" not in out.get("options", {})


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d["household"].update(car="yes"), "household.car"),
    (lambda d: d.update(options={"settlement_floor": "101"}), "options.settlement_floor"),
    (lambda d: d.update(options={"settlement_floor": "-1"}), "options.settlement_floor"),
    (lambda d: d.update(spending_reasons=["food"]), "spending_reasons"),
    (lambda d: d.update(spending_reasons={"pets": "x"}), "spending_reasons.pets"),
    (lambda d: d.update(spending_reasons={"food": "x" * 1001}), "spending_reasons.food"),
    (lambda d: d.update(spending_reasons={"food": "bell\x07"}), "spending_reasons.food"),
])
def test_bad_values_name_their_field(change, path):
    raw = json.loads((EXAMPLES / "gb-family.json").read_text())
    change(raw)
    with pytest.raises(ValidationError) as info:
        parse_case(raw)
    assert path in [e.path for e in info.value.errors]
