"""Formatting at the edge: the only place amounts and dates become text.

Babel rounds half-even, so every amount goes through ``domain.money.cents``
(half-up) first; Babel then only adds the symbol, separators and digits.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal as _babel_decimal
from babel.units import format_unit as _babel_unit

from .domain.money import cents

#: en_US shows CNY as "CN¥"; a Chinese letter wants "¥". Babel's own data is used
#: otherwise.
DEFAULT_LOCALE = "en"


def format_money(
    amount: Decimal | str | int | None, currency: str, locale: str = DEFAULT_LOCALE
) -> str:
    """``Decimal("1234.5"), "GBP", "en"`` → ``£1,234.50``; None → empty string."""
    if amount is None or amount == "":
        return ""
    return _currency(str(cents(Decimal(amount))), currency, locale)


# A page shows the same few amounts many times, and Babel takes tens of
# microseconds for each; keyed by the amount's exact text (so "-0.00" and
# "0.00", equal as Decimals, stay apart).
@lru_cache(maxsize=4096)
def _currency(amount: str, currency: str, locale: str) -> str:
    return _babel_currency(Decimal(amount), currency, locale=locale, currency_digits=True)


def format_number(amount: Decimal | str | int, locale: str = DEFAULT_LOCALE) -> str:
    """A plain decimal (a percentage, an APR) with the locale's separators."""
    return _babel_decimal(Decimal(amount), locale=locale)


def format_day(day: date | None, locale: str = DEFAULT_LOCALE) -> str:
    """A date in the locale's medium form: ``31 Jan 2027`` / ``2027年1月31日``."""
    if day is None:
        return ""
    return _day(day, locale)


@lru_cache(maxsize=4096)
def _day(day: date, locale: str) -> str:
    return _babel_date(day, format="long" if locale.startswith("zh") else "medium", locale=locale)


def format_size(size: int, locale: str = DEFAULT_LOCALE) -> str:
    """A file size as a phone shows it: ``340 kB``, ``1.2 MB``, ``10 MB`` (powers of
    1,024, one decimal below 10); Babel picks the unit's words and spacing."""
    for unit, factor in (("digital-megabyte", 1024 * 1024), ("digital-kilobyte", 1024)):
        if size >= factor:
            value = Decimal(size) / factor
            places = Decimal("0.1") if value < 10 else Decimal("1")
            value = value.quantize(places, rounding=ROUND_HALF_UP).normalize()
            return _babel_unit(value, unit, length="short", locale=locale)
    return _babel_unit(size, "digital-byte", length="short", locale=locale)
def format_moment(moment: datetime | None, zone: str = "UTC",
                  locale: str = DEFAULT_LOCALE) -> str:
    """An instant as the clock in ``zone`` showed it: ``30 Nov 2026, 19:43:38``."""
    if moment is None:
        return ""
    from zoneinfo import ZoneInfo

    return _babel_datetime(moment, format="medium", tzinfo=ZoneInfo(zone), locale=locale)
