from decimal import Decimal

from engine_builders import make_case, make_debt

from webapp.domain.strategies import avalanche, snowball


def two_debts(available="200"):
    # a: 1 % a month, b: 2 % a month
    return make_case(
        make_debt("a", "1000", "12", "50"), make_debt("b", "500", "24", "25"), available=available
    )


def test_avalanche_adds_interest_first_pays_minimums_then_the_highest_apr():
    months = avalanche(two_debts(), Decimal("200")).schedule.months()
    # Month 1: interest a 10.00, b 10.00; a pays 50, b 25 + 125 = 150.
    assert months[0].interest == {"a": Decimal("10.00"), "b": Decimal("10.00")}
    assert months[0].payments == {"a": Decimal("50.00"), "b": Decimal("150.00")}
    assert months[0].balances == {"a": Decimal("960.00"), "b": Decimal("360.00")}
    # Month 2: interest 9.60 and 7.20 → 919.60 and 217.20 after payment.
    assert months[1].balances == {"a": Decimal("919.60"), "b": Decimal("217.20")}
    # Month 3: 919.60 × 1 % = 9.196 → 9.20; 217.20 × 2 % = 4.344 → 4.34.
    assert months[2].interest == {"a": Decimal("9.20"), "b": Decimal("4.34")}
    assert months[2].balances == {"a": Decimal("878.80"), "b": Decimal("71.54")}
    # Month 4: a 8.788 → 8.79 (887.59), b 1.4308 → 1.43 (72.97): b is cleared
    # with 72.97 and a gets the other 127.03.
    assert months[3].payments == {"a": Decimal("127.03"), "b": Decimal("72.97")}
    assert months[3].balances == {"a": Decimal("760.56"), "b": Decimal("0.00")}


def test_snowball_targets_the_smallest_opening_balance_even_at_a_lower_apr():
    case = make_case(
        make_debt("big", "5000", "30", "100"), make_debt("small", "300", "5", "20"), available="300"
    )
    first_snow = snowball(case, Decimal("300")).schedule.months()[0]
    first_aval = avalanche(case, Decimal("300")).schedule.months()[0]
    # snowball: big 100, small 20 + 180 = 200; avalanche: small 20, big 280.
    assert first_snow.payments == {"big": Decimal("100.00"), "small": Decimal("200.00")}
    assert first_aval.payments == {"big": Decimal("280.00"), "small": Decimal("20.00")}


def test_ties_keep_the_input_order():
    case = make_case(
        make_debt("x", "100", "20", "0"), make_debt("y", "100", "20", "0"), available="50"
    )
    assert avalanche(case, Decimal("50")).extra["order"] == ["x", "y"]
    assert snowball(case, Decimal("50")).extra["order"] == ["x", "y"]


def test_a_contractual_payment_is_capped_at_what_is_owed():
    case = make_case(
        make_debt("a", "30", "0", "50"), make_debt("b", "1000", "0", "10"), available="100"
    )
    first = avalanche(case, Decimal("100")).schedule.months()[0]
    # a owes 30 < 50; the other 70 goes to b (10 + 60).
    assert first.payments == {"a": Decimal("30.00"), "b": Decimal("70.00")}


def test_totals_add_up_balances_plus_interest():
    result = avalanche(two_debts(), Decimal("200"))
    assert result.total_paid == Decimal("1500.00") + result.total_interest
    assert result.schedule.months()[-1].balances == {"a": Decimal("0.00")}


def test_less_than_the_contractual_payments_is_infeasible_with_the_level_amount_needed():
    case = make_case(
        make_debt("a", "1200", "0", "100"), make_debt("b", "600", "0", "100"), available="150"
    )
    result = avalanche(case, Decimal("150"))
    assert not result.feasible and "contractual payments (200.00)" in result.reason
    # issue 13.5, one rule: interest-free, 1800 / 36 = 50.00 (what pro rata quotes
    # too; per-debt rounding used to give 50.01 here); / 60 = 30.00
    assert result.needed_monthly == {36: Decimal("50.00"), 60: Decimal("30.00")}


def test_a_plan_longer_than_600_months_is_infeasible():
    # 10 000 at 1 % a month paid 100.10: the first month repays 0.10, growing
    # by 1 % a month, so n = ln(1 + 100/0.10) / ln(1.01) ≈ 694 months.
    case = make_case(make_debt("a", "10000", "12", "100.10"), available="100.10")
    result = avalanche(case, Decimal("100.10"))
    assert not result.feasible and "600 months" in result.reason
