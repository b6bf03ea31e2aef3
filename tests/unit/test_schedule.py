from datetime import date

import pytest

from webapp.domain.schedule import payment_date, payment_dates, review_date


def test_a_month_end_start_falls_back_to_the_last_day_and_returns_to_the_31st():
    assert payment_dates(date(2027, 1, 31), 5) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]


def test_a_leap_year_february_gets_the_29th():
    assert payment_date(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert payment_date(date(2028, 1, 30), 1) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (0, date(2027, 1, 31)),
        (12, date(2028, 1, 31)),
        (13, date(2028, 2, 29)),
        (599, date(2076, 12, 31)),
    ],
)
def test_each_date_is_computed_from_the_fixed_start_never_chained(k, expected):
    assert payment_date(date(2027, 1, 31), k) == expected


def test_the_review_comes_three_months_after_the_start():
    assert review_date(date(2027, 11, 30)) == date(2028, 2, 29)
