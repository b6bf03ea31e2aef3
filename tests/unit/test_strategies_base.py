from decimal import Decimal

import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.money import split_largest_remainder
from webapp.domain.strategies.base import (
    annuity_cents,
    apr_e4,
    cents_str,
    div_half_up,
    from_cents,
    monthly_interest,
    split_cents,
    to_cents,
)


def test_amounts_convert_to_cents_half_up_and_back():
    assert to_cents(Decimal("12.345")) == 1235
    assert to_cents(Decimal("12.344")) == 1234
    assert from_cents(1235) == Decimal("12.35")
    assert str(from_cents(100)) == "1.00"


@pytest.mark.parametrize(
    ("cents", "text"), [(0, "0.00"), (5, "0.05"), (123456, "1234.56"), (-1235, "-12.35")]
)
def test_cents_are_written_with_two_places(cents, text):
    assert cents_str(cents) == text


def test_division_rounds_half_away_from_zero():
    assert div_half_up(5, 10) == 1
    assert div_half_up(4, 10) == 0
    assert div_half_up(-5, 10) == -1


def test_monthly_interest_is_balance_times_apr_over_1200_half_up():
    # 1.00 at 6 %: 100 × 6 ÷ 1200 = 0.5 cent → 1 cent; 0.99: 0.495 cent → 0
    assert monthly_interest(100, apr_e4(Decimal("6"))) == 1
    assert monthly_interest(99, apr_e4(Decimal("6"))) == 0
    # 1234.56 at 18.25 %: 123456 × 18.25 ÷ 1200 = 1877.56... cents → 18.78
    assert monthly_interest(123456, apr_e4(Decimal("18.25"))) == 1878


@given(
    st.integers(min_value=0, max_value=10**9),
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12),
)
def test_the_integer_split_agrees_with_the_decimal_split(total, weights):
    parts = split_cents(total, weights)
    assert sum(parts) == total
    expected = split_largest_remainder(from_cents(total), [Decimal(w) for w in weights])
    assert [from_cents(p) for p in parts] == expected


def test_an_interest_free_annuity_is_the_balance_over_the_months_rounded_up():
    # 100.00 over 3 months: 33.333... → 33.34
    assert annuity_cents(10000, 0, 3) == 3334


@pytest.mark.parametrize("apr", ["0.01", "5", "18.25", "39.9", "400"])
@pytest.mark.parametrize("months", [1, 12, 36, 60, 120])
def test_the_annuity_agrees_with_numpy_financial(apr, months):
    balance = 1234567  # 12 345.67
    ours = from_cents(annuity_cents(balance, apr_e4(Decimal(apr)), months))
    theirs = Decimal(str(-npf.pmt(float(apr) / 1200, months, 12345.67)))  # float ok: test oracle
    assert ours - Decimal("0.01") < theirs <= ours
