"""The locale-dependent pieces of wording: times, numbers, American spelling."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from webapp.letters.spelling import AmericanSpelling, american
from webapp.letters.wording import clock, number_words, payment_method


@pytest.mark.parametrize(("value", "locale", "expected"), [
    ("8:00", "en_US", "8 a.m."),
    ("21:00", "en_US", "9 p.m."),
    ("22:00", "en_US", "10 p.m."),
    ("8:30", "en_US", "8:30 a.m."),
    ("12:00", "en_US", "noon"),
    ("0:00", "en_US", "midnight"),
    ("8:00", "en_GB", "8am"),
    ("21:00", "en_GB", "9pm"),
    ("20:30", "en_GB", "8.30pm"),
    ("21:00", "zh_CN", "21:00"),
])
def test_times_are_written_as_the_locale_writes_them(value, locale, expected):
    assert clock(value, locale) == expected


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (1, "en", "one"), (2, "en", "two"), (10, "en", "ten"), (11, "en", "11"), (3, "zh_CN", "3"),
])
def test_small_numbers_are_spelt_out_in_english(n, lang, expected):
    assert number_words(n, lang) == expected


def test_american_spelling_keeps_capitals_and_whole_words_only():
    assert american("Towards my neighbours; Instalments honour") == \
        "Toward my neighbors; Installments honor"
    assert american("max_instalment_months instalmental") == "max_instalment_months instalmental"


def test_the_extension_respells_the_template_never_the_values():
    env = Environment(extensions=[AmericanSpelling], autoescape=True)
    template = env.from_string(
        '{{ "my neighbours" }} and my neighbours; {{ user }} {{ rules.get("max_instalment") }}')
    out = template.render(user="Honour Neighbours Ltd", rules={"max_instalment": "x"})
    assert out == "my neighbors and my neighbors; Honour Neighbours Ltd x"


def test_payment_methods_are_ones_the_borrower_controls():
    assert payment_method("en", "GB").monthly == "by standing order from my bank account"
    assert "do not authorize" in payment_method("en", "US").note
    assert payment_method("en", "CN") == payment_method("en", "other")
