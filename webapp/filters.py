"""Template filters: money and dates in the page's locale (formatting only here).

The page's language picks the words; an English page formats by the case's
jurisdiction: a UK case shows ``1 Dec 2026``, a US case ``Dec 1, 2026``. A
Chinese page shows ``2026年12月1日`` whatever the case.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from flask import Flask, before_render_template, g, request
from flask_babel import get_locale

from .formatting import format_day, format_moment, format_money, format_number, format_size

#: The English conventions each jurisdiction follows; others get Babel's "en".
ENGLISH_BY_JURISDICTION = {"GB": "en_GB", "US": "en_US"}
#: A real minus sign, then a word joiner: "−£326.67" never breaks after the sign.
MINUS = "\u2212\u2060"


def _locale() -> str:
    """The page's locale as Parley names it: ``en`` or ``zh_CN``.

    Flask-Babel parses ``zh_CN`` into ``zh_Hans_CN``; templates compare with the
    configured names, so map it back.
    """
    locale = get_locale()
    if locale is None:
        return "en"
    return "zh_CN" if locale.language == "zh" else str(locale)


def format_locale() -> str:
    """The locale amounts and dates are formatted in on this page: on an English
    page, the case's jurisdiction decides; a page with no case follows the
    browser's English (``en-GB`` → ``en_GB``)."""
    lang = _locale()
    if lang != "en":
        return lang
    jurisdiction = g.get("case_jurisdiction")
    if jurisdiction is not None:
        return ENGLISH_BY_JURISDICTION.get(jurisdiction, "en")
    return _browser_english()


def _browser_english() -> str:
    for tag, _quality in request.accept_languages:
        try:
            locale = Locale.parse(tag.replace("-", "_"))
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        if locale.language == "en":
            return str(locale) if locale.territory else "en"
    return "en"


def money(amount: Decimal | str | None, currency: str) -> str:
    text = format_money(amount, currency, format_locale())
    return MINUS + text[1:] if text.startswith("-") else text


def number(amount: Decimal | str) -> str:
    return format_number(amount, format_locale())


def day(value: date | str | None) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_day(value, format_locale())


def filesize(size: int) -> str:
    """An upload's size in the page's language: ``1.2 MB``."""
    return format_size(size, format_locale())
def moment(value: datetime | None, zone: str = "UTC") -> str:
    return format_moment(value, zone, format_locale())


def _case_conventions(sender, template, context, **extra) -> None:
    """A page about a case formats by the case's jurisdiction (macros imported
    without context cannot see ``case``: the request remembers it)."""
    case = context.get("case")
    jurisdiction = getattr(case, "jurisdiction", None)
    if isinstance(jurisdiction, str):
        g.case_jurisdiction = jurisdiction


def init_app(app: Flask) -> None:
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")
    app.add_template_filter(day, "day")
    app.add_template_filter(filesize, "filesize")
    app.add_template_filter(moment, "moment")
    from .domain.identity import last_four

    app.add_template_filter(last_four, "last_four")
    app.context_processor(lambda: {"current_locale": _locale})
    before_render_template.connect(_case_conventions, app)
