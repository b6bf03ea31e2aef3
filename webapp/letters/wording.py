"""Small pieces of wording that depend on the letter's locale: numbers in
words, times of day, and how the borrower will pay.

A careful writer says "my two creditors", not "all 2 of my creditors", and
"before 8 a.m." to an American reader, "before 8am" to a British one.
"""

from __future__ import annotations

from dataclasses import dataclass

#: English numbers a letter spells out; larger ones stay as digits (house style:
#: words up to ten, as most style guides do).
_ENGLISH_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                    "nine", "ten")


def number_words(n: int, lang: str) -> str:
    """``2`` → ``two`` in English (up to ten); digits otherwise and in Chinese."""
    if lang == "en" and 0 <= n < len(_ENGLISH_NUMBERS):
        return _ENGLISH_NUMBERS[n]
    return str(n)


def clock(value: str, locale: str) -> str:
    """A time of day written ``"21:00"`` in the rules, as the locale writes it.

    en_US: ``9 p.m.``, ``8:30 a.m.`` (AP style); en_GB: ``9pm``, ``8.30am``;
    other locales (Chinese letters): ``21:00`` as given.
    """
    if not locale.startswith("en"):
        return value
    hours, minutes = (int(part) for part in value.split(":"))
    if (hours, minutes) == (12, 0):
        return "noon" if locale == "en_US" else "midday"
    if (hours, minutes) in ((0, 0), (24, 0)):
        return "midnight"
    twelve = hours % 12 or 12
    if locale == "en_US":
        suffix = "a.m." if hours < 12 else "p.m."
        return f"{twelve} {suffix}" if not minutes else f"{twelve}:{minutes:02d} {suffix}"
    suffix = "am" if hours < 12 else "pm"
    return f"{twelve}{suffix}" if not minutes else f"{twelve}.{minutes:02d}{suffix}"


@dataclass(frozen=True)
class PaymentMethod:
    """How the borrower pays: monthly instalments, and a single settlement payment.

    The defaults are methods the borrower controls (a standing order, not a
    direct debit; a payment they send, not a withdrawal they authorise), as
    debt advisers recommend, so that a payment can be stopped if the plan has
    to change.
    """

    monthly: str
    once: str
    #: a sentence that follows (""): what the borrower does not authorise
    note: str = ""


#: Per language, per jurisdiction (``other`` when the jurisdiction has none).
PAYMENT_METHODS: dict[str, dict[str, PaymentMethod]] = {
    "en": {
        "GB": PaymentMethod(
            "by standing order from my bank account", "by bank transfer"
        ),
        "US": PaymentMethod(
            "by online bill pay from my bank account",
            "by bank transfer",
            "I do not authorize you to withdraw money from my bank account yourself.",
        ),
        "other": PaymentMethod("by bank transfer", "by bank transfer"),
    },
    "zh_CN": {
        "other": PaymentMethod("通过银行转账按月还款", "通过银行转账一次性付款"),
    },
}


def payment_method(lang: str, jurisdiction: str) -> PaymentMethod:
    """How the borrower pays, in ``lang``, to a creditor in ``jurisdiction``."""
    methods = PAYMENT_METHODS[lang]
    return methods.get(jurisdiction, methods["other"])
