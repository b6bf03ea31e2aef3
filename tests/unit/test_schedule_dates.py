"""Payment dates by integer arithmetic are exactly ``relativedelta``'s."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from webapp.domain.schedule import payment_date, payment_dates


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
       st.integers(min_value=-600, max_value=1200))
def test_a_payment_date_is_start_plus_k_months(start, k):
    assert payment_date(start, k) == start + relativedelta(months=k)


def test_month_ends_clip_and_come_back():
    assert payment_dates(date(2028, 1, 31), 4) == [
        date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30)]


def test_every_day_of_four_years_for_five_years_of_months():
    day = date(2027, 1, 1)
    while day < date(2031, 1, 1):
        for k in (0, 1, 11, 12, 13, 59):
            assert payment_date(day, k) == day + relativedelta(months=k)
        day += timedelta(days=1)
