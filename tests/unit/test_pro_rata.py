from decimal import Decimal

from engine_builders import make_case, make_debt

from webapp.domain.strategies import pro_rata


def offers(result) -> dict[str, Decimal]:
    return {o.debt_id: o.monthly for o in result.offers}


def test_offers_are_shared_by_balance_and_rounded_by_largest_remainder():
    case = make_case(
        make_debt("a", "600"), make_debt("b", "300"), make_debt("c", "50"), available="100"
    )
    result = pro_rata(case, Decimal("100"))
    # 100 × 600/950 = 63.157..., × 300/950 = 31.578..., × 50/950 = 5.263...
    # floors 63.15 + 31.57 + 5.26 = 99.98; the two cents go to the largest
    # remainders: b (.0089) then a (.0079).
    assert offers(result) == {"a": Decimal("63.16"), "b": Decimal("31.58"), "c": Decimal("5.26")}
    # 950 at 100 a month: 9 full months, then the 50.00 left.
    assert result.months_to_clear == 10
    last = result.schedule.months()[-1]
    # a: 600 - 9 × 63.16 = 31.56; b: 300 - 9 × 31.58 = 15.78; c: 50 - 9 × 5.26 = 2.66
    assert last.payments == {"a": Decimal("31.56"), "b": Decimal("15.78"), "c": Decimal("2.66")}
    assert result.total_paid == Decimal("950.00") and result.total_interest == Decimal("0.00")


def test_a_share_below_min_offer_is_raised_and_the_rest_shared_by_the_others():
    case = make_case(make_debt("a", "1000"), make_debt("b", "10"), available="50", min_offer="5")
    result = pro_rata(case, Decimal("50"))
    # b's share, 50 × 10/1010 = 0.50, is below 5: b gets 5 and a the other 45.
    assert offers(result) == {"a": Decimal("45.00"), "b": Decimal("5.00")}
    # b clears in month 2; then a gets all 50 for its 910: 18 months and 10.00.
    assert result.months_to_clear == 21
    assert result.schedule.months()[2].payments == {"a": Decimal("50.00")}
    assert result.schedule.months()[-1].payments == {"a": Decimal("10.00")}


def test_money_freed_by_a_debt_clearing_mid_month_goes_to_the_others():
    case = make_case(make_debt("a", "1000"), make_debt("b", "7"), available="50", min_offer="5")
    months = pro_rata(case, Decimal("50")).schedule.months()
    # Month 2: b needs only its last 2.00 of its 5.00, so a gets 45 + 3.
    assert months[1].payments == {"a": Decimal("48.00"), "b": Decimal("2.00")}
    assert months[1].balances == {"a": Decimal("907.00"), "b": Decimal("0.00")}


def test_a_budget_larger_than_all_debts_clears_them_in_one_month():
    case = make_case(make_debt("a", "120.50"), make_debt("b", "80"), available="1000")
    result = pro_rata(case, Decimal("1000"))
    assert offers(result) == {"a": Decimal("120.50"), "b": Decimal("80.00")}
    assert result.months_to_clear == 1


def test_less_than_min_offer_to_each_creditor_is_infeasible_and_says_what_is_needed():
    case = make_case(
        make_debt("a", "600.01"), make_debt("b", "300"), make_debt("c", "100"), available="2.99"
    )
    result = pro_rata(case, Decimal("2.99"))
    assert not result.feasible
    assert "less than the smallest offer" in result.reason
    # 1000.01 / 36 = 27.7780... → 27.78; / 60 = 16.6668... → 16.67 (rounded up)
    assert result.needed_monthly == {36: Decimal("27.78"), 60: Decimal("16.67")}


def test_a_deficit_budget_is_infeasible():
    case = make_case(make_debt("a", "100"), available="-50")
    assert not pro_rata(case, Decimal("-50")).feasible


def test_priority_and_cleared_debts_are_left_out():
    from webapp.domain.model import DebtKind

    case = make_case(
        make_debt("rent", "900", kind=DebtKind.RENT_ARREARS),
        make_debt("a", "100"),
        make_debt("paid", "0"),
        available="10",
    )
    assert offers(pro_rata(case, Decimal("10"))) == {"a": Decimal("10.00")}


def test_a_very_long_plan_keeps_600_months_of_schedule_but_counts_every_month():
    case = make_case(make_debt("a", "100000"), make_debt("b", "50000"), available="3")
    result = pro_rata(case, Decimal("3"))
    # 150 000 at 3.00 a month: 50 000 months.
    assert result.months_to_clear == 50000
    assert len(result.schedule.rows) == 600 and result.extra["schedule_truncated"]
