from datetime import date
from decimal import Decimal

import numpy_financial as npf
import pytest
from engine_builders import make_case, make_debt

from webapp.domain.strategies import settlement, term_extension, token


def test_a_lump_sum_is_split_pro_rata_to_balance_by_largest_remainder():
    case = make_case(make_debt("amex", "6100"), make_debt("sofi", "8400"), lump_sum="1500")
    result = settlement(case, Decimal("0"))
    # 1500 × 6100/14500 = 631.034...; × 8400/14500 = 868.965...: floors sum to
    # 1499.99 and the cent goes to sofi (remainder .0055 > .0044).
    assert [(o.debt_id, o.amount, o.percent) for o in result.offers] == [
        ("amex", Decimal("631.03"), Decimal("10.34")),
        ("sofi", Decimal("868.97"), Decimal("10.34")),
    ]
    assert result.extra["written_off"] == Decimal("13000.00")


def test_a_lump_sum_larger_than_all_debts_pays_each_in_full():
    case = make_case(make_debt("a", "333.33"), make_debt("b", "0.01"), lump_sum="20000")
    result = settlement(case, Decimal("0"))
    assert [(o.amount, o.percent) for o in result.offers] == [
        (Decimal("333.33"), Decimal("100.00")),
        (Decimal("0.01"), Decimal("100.00")),
    ]
    assert result.total_paid == Decimal("333.34") and result.extra["in_full"]


def test_no_lump_sum_means_no_settlement():
    result = settlement(make_case(make_debt("a", "100")), Decimal("100"))
    assert not result.feasible and result.needed_monthly == {
        36: Decimal("2.78"),
        60: Decimal("1.67"),
    }


def test_token_offers_min_offer_to_each_and_a_review_three_months_on():
    case = make_case(
        make_debt("a", "100"),
        make_debt("b", "0.50"),
        available="0.75",
        start=date(2027, 1, 31),
        min_offer="1",
    )
    result = token(case, Decimal("0.75"))
    assert [o.monthly for o in result.offers] == [Decimal("1.00"), Decimal("0.50")]
    assert result.review_date == date(2027, 4, 30)
    assert result.extra["recommended"] is True
    assert result.total_paid == Decimal("3.50")  # a: 3 × 1.00, b: 0.50 once


def test_the_shortest_interest_free_term_that_fits_is_chosen():
    case = make_case(make_debt("a", "1200"), make_debt("b", "600"), available="200")
    result = term_extension(case, Decimal("200"))
    # 9 months would need 133.34 + 66.67 = 200.01; 10 months: 120 + 60 = 180.
    assert result.extra["term_months"] == 10
    assert [o.monthly for o in result.offers] == [Decimal("120.00"), Decimal("60.00")]
    assert result.months_to_clear == 10 and result.total_paid == Decimal("1800.00")


def test_the_last_term_payment_is_exact():
    case = make_case(make_debt("a", "100"), available="33.34")
    months = term_extension(case, Decimal("33.34")).schedule.months()
    assert [m.payments["a"] for m in months] == [
        Decimal("33.34"),
        Decimal("33.34"),
        Decimal("33.32"),
    ]


def test_a_term_that_does_not_fit_says_what_a_month_would_need():
    case = make_case(make_debt("a", "6000"), available="50", jurisdiction="CN")
    result = term_extension(case, Decimal("50"), term_months=120)
    # China caps instalments at 60 months: 6000 / 60 = 100.00.
    assert not result.feasible
    assert result.reason == "Does not fit: over 60 months you would need 100.00 a month."


@pytest.mark.parametrize("apr", ["4.5", "9.9"])
def test_a_term_at_a_proposed_apr_matches_the_annuity_of_numpy_financial(apr):
    case = make_case(make_debt("a", "5000"), available="200")
    result = term_extension(case, Decimal("200"), apr=Decimal(apr))
    m = result.extra["term_months"]
    level = result.offers[0].monthly
    exact = Decimal(str(-npf.pmt(float(apr) / 1200, m, 5000)))  # float ok: test oracle
    assert level - Decimal("0.01") < exact <= level <= Decimal("200")
    # One month less would not fit.
    assert Decimal(str(-npf.pmt(float(apr) / 1200, m - 1, 5000))) > Decimal("200")  # float ok
    assert result.schedule.months()[-1].balances == {"a": Decimal("0.00")}
