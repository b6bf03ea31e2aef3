"""Choosing the interface language (the user's switch, their profile, then the
browser) and, from the browser's language and region, the country and currency
a new case starts with."""

from __future__ import annotations

from datetime import date

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_territory_currencies
from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}


def normalise(tag: str | None) -> str | None:
    """Map a browser or user tag to a supported locale: ``zh-Hans-CN`` → ``zh_CN``."""
    return _normalise(tag, current_app.config["LANGUAGES"])


def select_locale() -> str:
    chosen = normalise(session.get("lang"))
    if chosen:  # the switch decides before the user is even loaded
        return chosen
    user_locale = (current_user.locale if current_user and current_user.is_authenticated
                   else None)
    return choose_locale(None, user_locale, request.accept_languages, current_app.config)


def choose_locale(session_lang, user_locale: str | None, accept_languages,
                  config) -> str:
    """``select_locale`` from its inputs, without a request or a user object
    (``fast_pages``): the switch kept in the session, the user's setting, the
    browser's ``Accept-Language`` (parsed, best first), the default."""
    languages = config["LANGUAGES"]
    for tag in (session_lang, user_locale, *(tag for tag, _q in accept_languages)):
        chosen = _normalise(tag, languages)
        if chosen:
            return chosen
    return config["BABEL_DEFAULT_LOCALE"]


def _normalise(tag, languages) -> str | None:
    if not tag or not isinstance(tag, str):
        return None
    tag = tag.replace("-", "_")
    if tag in languages:
        return tag
    if tag.lower().startswith("zh"):
        return "zh_CN"
    if tag.lower().startswith("en"):
        return "en"
    return None


# --- where a new case is: the country and currency a browser suggests ---------------

#: The currency of each jurisdiction Parley has rules for. "other" has none: its
#: currency comes from the browser's region when Parley offers it.
JURISDICTION_CURRENCY = {"CN": "CNY", "US": "USD", "GB": "GBP"}
#: When no region can be told at all (no Accept-Language, or only "*").
FALLBACK_REGION = "US"
FALLBACK_CURRENCY = "USD"


def browser_region(tag: str) -> str | None:
    """The region a language tag names or implies: ``en-GB`` → GB, ``zh-CN`` → CN.

    A tag with no region takes CLDR's likely one, as browsers do: plain ``en`` →
    US (``en_Latn_US``), plain ``zh`` → CN (``zh_Hans_CN``), ``fr`` → FR.
    """
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if locale.territory:
        return locale.territory
    likely = get_global("likely_subtags").get(locale.language)
    if not likely:
        return None
    return Locale.parse(likely).territory


def default_country(accept: list[tuple[str, float]], currencies: list[str],
                    today: date) -> tuple[str, str]:
    """(jurisdiction, currency) for a new case, from the browser's languages.

    The first language that names a region decides: GB, US and CN are
    jurisdictions of their own; any other region is "other", with its currency
    when Parley offers it (en-AU → AUD, de-DE → EUR), else US dollars.
    """
    region = next(filter(None, (browser_region(tag) for tag, _q in accept)), FALLBACK_REGION)
    if region in JURISDICTION_CURRENCY:
        return region, JURISDICTION_CURRENCY[region]
    local = [c for c in get_territory_currencies(region, today) if c in currencies]
    return "other", local[0] if local else FALLBACK_CURRENCY


def page_language() -> str:
    """The page's language as the letters name it (Babel says ``zh_Hans_CN``)."""
    from flask_babel import get_locale

    locale = get_locale()
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"
