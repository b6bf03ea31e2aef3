"""The case's plan options: the pro-rata basis, and the term and APR of a term extension."""

from decimal import Decimal

import pytest
from engine_builders import make_case, make_debt

from webapp.domain.casefile import dump_case, parse_case
from webapp.domain.errors import ValidationError
from webapp.domain.model import Options, ProRataBasis
from webapp.domain.plan import make_plan
from webapp.domain.replan import replan
from webapp.domain.strategies import pro_rata, term_extension

CONTRACTUAL = ProRataBasis.CONTRACTUAL


def offers(result) -> dict[str, Decimal]:
    return {o.debt_id: o.monthly for o in result.offers}


# ---- pro rata by contractual payment ---------------------------------------


def three_debts(**options):
    return make_case(
        make_debt("a", "1000", contractual="50"),
        make_debt("b", "2000", contractual="25"),
        make_debt("c", "500"),  # no contractual payment: weighs 3% of 500 = 15.00
        available="60",
        **options,
    )


def test_contractual_basis_splits_by_contractual_payment_with_3_percent_for_none():
    result = pro_rata(three_debts(pro_rata_basis=CONTRACTUAL), Decimal("60"))
    # Weights 50 : 25 : 15 (Σ 90). 60 × 50/90 = 33.333..., 60 × 25/90 = 16.666...,
    # 60 × 15/90 = 10.00 exactly. Floors 33.33 + 16.66 + 10.00 = 59.99; the cent
    # goes to the largest remainder, b (.0066 against a's .0033).
    assert offers(result) == {"a": Decimal("33.33"), "b": Decimal("16.67"), "c": Decimal("10.00")}
    assert result.extra["basis"] == "contractual"
    # Interest frozen and the whole 60 paid each month: 3500 / 60 → 58 months and 20.00.
    assert result.months_to_clear == 59
    assert result.total_paid == Decimal("3500.00")


def test_after_a_debt_clears_the_money_is_re_split_by_the_same_basis():
    months = pro_rata(three_debts(pro_rata_basis=CONTRACTUAL), Decimal("60")).schedule.months()
    # 30 × 33.33 = 999.90: a's last 0.10 is paid in month 31, and the 33.23 it
    # frees goes to b and c by headroom that month (1483.23 : 190.00 → 29.46, 3.77).
    assert months[30].payments == {
        "a": Decimal("0.10"), "b": Decimal("46.13"), "c": Decimal("13.77")
    }
    # From month 32: 60 re-split by contractual weight 25 : 15 = 37.50 : 22.50
    # (by balance it would be 1453.77 : 186.23).
    assert months[31].payments == {"b": Decimal("37.50"), "c": Decimal("22.50")}


def test_balance_basis_is_the_default_and_unchanged():
    default = pro_rata(three_debts(), Decimal("60"))
    # 60 × 1000/3500 = 17.142..., × 2000/3500 = 34.285..., × 500/3500 = 8.571...
    # floors 17.14 + 34.28 + 8.57 = 59.99; the cent to b (.0057 > a's .0029 > c's .0014).
    assert offers(default) == {"a": Decimal("17.14"), "b": Decimal("34.29"), "c": Decimal("8.57")}
    assert default.extra["basis"] == "balance"
    explicit = three_debts(pro_rata_basis=ProRataBasis.BALANCE)
    assert make_plan(explicit) == make_plan(three_debts())


def test_a_contractual_share_larger_than_the_balance_is_capped_and_the_rest_shared():
    case = make_case(
        make_debt("a", "10", contractual="100"),
        make_debt("b", "1000", contractual="100"),
        available="50",
        pro_rata_basis=CONTRACTUAL,
    )
    result = pro_rata(case, Decimal("50"))
    # Equal weights give 25.00 each, but a owes only 10.00: a gets 10, b the other 40.
    assert offers(result) == {"a": Decimal("10.00"), "b": Decimal("40.00")}
    assert result.schedule.months()[1].payments == {"b": Decimal("50.00")}


def test_the_min_offer_floor_still_applies_on_the_contractual_basis():
    case = make_case(
        make_debt("a", "5000", contractual="200"),
        make_debt("b", "100"),  # weighs 3% of 100 = 3.00
        available="100",
        min_offer="5",
        pro_rata_basis=CONTRACTUAL,
    )
    # b's share 100 × 3/203 = 1.48 is below 5: b gets 5, a the other 95.
    assert offers(pro_rata(case, Decimal("100"))) == {"a": Decimal("95.00"), "b": Decimal("5.00")}


def test_counter_offers_are_re_split_by_the_case_basis():
    case = three_debts(pro_rata_basis=CONTRACTUAL)
    result = replan(case, {"a": Decimal("30")})
    # 60 − 30 = 30 for b and c by weight 25 : 15 → 18.75 and 11.25.
    assert result.offers == {"a": Decimal("30.00"), "b": Decimal("18.75"), "c": Decimal("11.25")}


# ---- term extension options -------------------------------------------------


def test_the_term_extension_uses_the_case_term_months():
    case = make_case(make_debt("a", "1200"), available="100", term_months=6)
    result = term_extension(case, Decimal("100"))
    # Over at most 6 months 1200 needs 200.00 a month, more than the 100 available.
    assert not result.feasible
    assert result.extra["term_months"] == 6
    assert result.extra["needed_at_max_term"] == Decimal("200.00")


def test_the_term_extension_uses_the_case_apr():
    case = make_case(make_debt("a", "1200"), available="100", term_apr=Decimal("12"))
    result = term_extension(case, Decimal("100"))
    # 1% a month. 12 months: 12 / (1 − 1.01^−12) = 106.62 > 100; 13 months:
    # 12 / (1 − 1.01^−13) = 98.898..., rounded up to 98.90, which fits.
    assert result.extra["term_months"] == 13
    assert result.extra["apr"] == Decimal("12")
    assert offers(result) == {"a": Decimal("98.90")}
    # 12 × 98.90 + a last 98.87 = 1285.67 paid: 85.67 of interest.
    assert result.total_interest == Decimal("85.67")


@pytest.mark.parametrize(("term_months", "feasible", "months"), [
    (None, False, 60),  # the default: 11000 / 60 = 183.34 a month needed
    # GB allows 120, and the chosen term is honoured (issue 14.5): 91.67 a month;
    # 110 months (100 a month) would be the shortest
    (120, True, 120),
])
def test_a_longer_term_than_the_default_is_used_where_allowed(term_months, feasible, months):
    case = make_case(make_debt("a", "11000"), available="100", term_months=term_months)
    result = term_extension(case, Decimal("100"))
    assert result.feasible is feasible
    assert result.extra["term_months"] == months


def test_explicit_arguments_override_the_case_options():
    case = make_case(make_debt("a", "1200"), available="100", term_months=6)
    assert term_extension(case, Decimal("100"), term_months=12).extra["term_months"] == 12


# ---- the case file ------------------------------------------------------------


def case_file(jurisdiction: str = "GB", **options) -> dict:
    data = {
        "format": "parley-case/1", "currency": "GBP", "jurisdiction": jurisdiction,
        "start_date": "2027-01-31", "household": {"adults": 1, "children": 0},
        "income": [], "expenses": [],
        "debts": [{"id": "a", "creditor": "A", "kind": "credit_card", "balance": "100",
                   "apr": "0", "contractual_payment": "0"}],
    }
    if options:
        data["options"] = options
    return data


def test_the_options_are_read_and_written_back():
    raw = case_file(pro_rata_basis="contractual", term_months=48, term_apr="4.5")
    case = parse_case(raw)
    assert case.options == Options(Decimal("1"), CONTRACTUAL, 48, Decimal("4.5"))
    assert dump_case(case)["options"] == {
        "pro_rata_basis": "contractual", "term_months": 48, "term_apr": "4.5"
    }


def test_default_options_are_left_out_of_the_file():
    raw = case_file(pro_rata_basis="balance", term_apr="0")
    assert "options" not in dump_case(parse_case(raw))
    assert dump_case(parse_case(case_file(min_offer="5")))["options"] == {"min_offer": "5.00"}


@pytest.mark.parametrize(("jurisdiction", "options", "path", "message"), [
    ("CN", {"term_months": 61}, "options.term_months",
     "must be a whole number from 1 to 60 (the longest term for CN)"),
    ("US", {"term_months": 61}, "options.term_months",
     "must be a whole number from 1 to 60 (the longest term for US)"),
    ("GB", {"term_months": 121}, "options.term_months",
     "must be a whole number from 1 to 120 (the longest term for GB)"),
    ("GB", {"term_months": 0}, "options.term_months",
     "must be a whole number from 1 to 120 (the longest term for GB)"),
    ("GB", {"term_months": "12"}, "options.term_months",
     "must be a whole number from 1 to 120 (the longest term for GB)"),
    ("GB", {"term_months": True}, "options.term_months",
     "must be a whole number from 1 to 120 (the longest term for GB)"),
    ("GB", {"term_apr": "100.01"}, "options.term_apr", "must be at most 100"),
    ("GB", {"term_apr": "-1"}, "options.term_apr", "must be ≥ 0"),
    ("GB", {"term_apr": "5.12345"}, "options.term_apr", "must have at most 4 decimal places"),
    ("GB", {"pro_rata_basis": "income"}, "options.pro_rata_basis",
     "must be one of balance, contractual"),
])
def test_options_out_of_range_are_refused_with_their_path(jurisdiction, options, path, message):
    with pytest.raises(ValidationError) as exc:
        parse_case(case_file(jurisdiction, **options))
    assert [(e.path, e.message) for e in exc.value.errors] == [(path, message)]


def test_the_longest_term_of_each_jurisdiction_is_accepted():
    assert parse_case(case_file("CN", term_months=60)).options.term_months == 60
    assert parse_case(case_file("GB", term_months=120)).options.term_months == 120


def test_a_bad_jurisdiction_is_reported_once_not_again_on_the_term():
    with pytest.raises(ValidationError) as exc:
        parse_case(case_file("XX", term_months=100))
    assert [e.path for e in exc.value.errors] == ["jurisdiction"]


def test_the_plan_json_says_which_basis_and_term_were_used():
    raw = case_file(pro_rata_basis="contractual", term_months=12, term_apr="0")
    raw["income"] = [{"label": "Wages", "amount": "50", "frequency": "monthly"}]
    plan = make_plan(parse_case(raw))
    by_name = {s["name"]: s for s in plan["strategies"]}
    assert by_name["pro_rata"]["basis"] == "contractual"
    # issue 14.5: the chosen 12 months are honoured (8.34 a month); the plan says
    # that 2 months (50.00 a month) would be the shortest that fits.
    assert by_name["term_extension"]["term_months"] == 12
    assert by_name["term_extension"]["shortest_term"] == 2


def test_a_cap_never_leaves_too_little_for_the_others_floors():
    # Found by hypothesis. Contractual basis, no contractual payments: weights are
    # 3 % of the balance, 0 for the four 1-cent debts and 15 for the 4.97 debt.
    # 5.00 is available and 5.01 owed. Capping the big debt at 4.97 would leave
    # 0.03 for four 0.01 floors (5.01 offered); the floors go first instead:
    # 4 × 0.01 + 4.96 = 5.00.
    debts = [make_debt(f"d{i}", "0.01") for i in range(4)] + [make_debt("d4", "4.97")]
    case = make_case(*debts, available="5", min_offer="1", pro_rata_basis=CONTRACTUAL)
    offers = {o.debt_id: o.monthly for o in pro_rata(case, Decimal("5")).offers}
    assert offers == {"d0": Decimal("0.01"), "d1": Decimal("0.01"), "d2": Decimal("0.01"),
                      "d3": Decimal("0.01"), "d4": Decimal("4.96")}
