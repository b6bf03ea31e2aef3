"""Template filters: money and dates in the page's locale (formatting only here)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask
from flask_babel import get_locale

from .formatting import format_day, format_money, format_number


def _locale() -> str:
    """The page's locale as Parley names it: ``en`` or ``zh_CN``.

    Flask-Babel parses ``zh_CN`` into ``zh_Hans_CN``; templates compare with the
    configured names, so map it back.
    """
    locale = get_locale()
    if locale is None:
        return "en"
    return "zh_CN" if locale.language == "zh" else str(locale)


def money(amount: Decimal | str | None, currency: str) -> str:
    return format_money(amount, currency, _locale())


def number(amount: Decimal | str) -> str:
    return format_number(amount, _locale())


def day(value: date | str | None) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_day(value, _locale())


def init_app(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")
    app.add_template_filter(day, "day")
    app.context_processor(lambda: {"current_locale": _locale})
