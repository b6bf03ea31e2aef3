"""The catalogue and the rules are complete, consistent data."""

from __future__ import annotations

import pytest

from webapp.domain.model import JURISDICTIONS
from webapp.domain.plan import STRATEGIES
from webapp.letters.catalogue import (
    BUDGET_STATEMENT,
    CATALOGUE,
    CATEGORY_LABELS,
    CONVENTIONS,
    FREQUENCY_LABELS,
    KIND_LABELS,
    LANGUAGES,
    FieldKind,
    default_language,
    letter_type,
    locale_for,
)
from webapp.letters.paths import templates_dir
from webapp.letters.rules import RULES, Cite, rules_for

EXPECTED_TYPES = {
    "hold",
    "proposal",
    "cn_instalment",
    "token",
    "settlement",
    "reconsider",
    "prove_debt",
    "contact_restrictions",
    "confirmation",
    "annual_review",
    # issue 14.2: priority creditors get their own letter
    "priority_arrears",
    # issue 8: the next letter of each negotiation status, and the write-off request
    "follow_up",
    "information",
    "complaint",
    "write_off",
    # issue 8: "counter with another figure" answers a counter-offer with the re-plan
    "counter_proposal",
    # issue 9: written from the contact log, with the table of flagged contacts
    "contact_complaint",
    "regulator_complaint",
}


def test_the_catalogue_has_every_letter_of_the_issue():
    assert set(CATALOGUE) == EXPECTED_TYPES


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_row_is_complete(key):
    row = CATALOGUE[key]
    assert row.key == key
    assert set(row.title) == set(LANGUAGES)
    assert all(row.title.values())
    assert set(row.jurisdictions) <= set(JURISDICTIONS)
    for strategy in filter(None, (row.strategy, *row.alternatives)):
        assert strategy in STRATEGIES
    names = [f.name for f in row.fields]
    assert len(names) == len(set(names))
    for spec in row.fields:
        assert spec.default_days is None or spec.kind is FieldKind.DATE


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_letter_has_a_template_for_each_language_and_jurisdiction(key, lang):
    row = CATALOGUE[key]
    folder = templates_dir() / "letters" / lang
    for jurisdiction in row.jurisdictions:
        candidates = [
            folder / f"{row.template_name}.{jurisdiction}.html",
            folder / f"{row.template_name}.html",
        ]
        assert any(p.is_file() for p in candidates), (key, lang, jurisdiction)


def test_offers_come_with_the_budget_statement():
    offering = {k for k, row in CATALOGUE.items() if row.makes_offer}
    assert offering == {
        "proposal",
        "cn_instalment",
        "token",
        "settlement",
        "reconsider",
        "confirmation",
        "annual_review",
    }
    assert letter_type("budget_statement") is BUDGET_STATEMENT


def test_only_china_gets_the_personalised_instalment_letter():
    assert CATALOGUE["cn_instalment"].jurisdictions == ("CN",)


@pytest.mark.parametrize("table", [CATEGORY_LABELS, FREQUENCY_LABELS, KIND_LABELS])
def test_label_tables_cover_every_language(table):
    for labels in table.values():
        assert set(labels) == set(LANGUAGES) and all(labels.values())


@pytest.mark.parametrize("jurisdiction", JURISDICTIONS)
def test_rules_are_cited_in_every_language(jurisdiction):
    for value in RULES[jurisdiction].values():
        if isinstance(value, Cite):
            assert value.en and value.zh_CN
    for lang in LANGUAGES:
        assert all(not isinstance(v, Cite) for v in rules_for(jurisdiction, lang).values())


def test_rules_carry_the_numbers_the_letters_promise():
    assert RULES["CN"]["max_instalment_months"] == 60
    assert RULES["CN"]["dispute_days"] == 20
    assert RULES["CN"]["quiet_hours"] == ("22:00", "8:00")
    assert RULES["CN"]["max_calls_per_day"] == 3
    assert rules_for("US", "en", "debt_buyer")["dispute_days"] == 30
    assert rules_for("US", "en", "collection_agency")["dispute_days"] == 30
    assert "CONC 7.3.4R" in RULES["GB"]["consider_offers"].en
    assert "第七十条" in RULES["CN"]["instalment"].zh_CN


@pytest.mark.parametrize(
    ("lang", "jurisdiction", "locale"),
    [
        ("en", "GB", "en_GB"),
        ("en", "US", "en_US"),
        ("en", "other", "en_US"),
        ("en", "CN", "en_US"),
        ("zh_CN", "GB", "zh_CN"),
        ("zh_CN", "CN", "zh_CN"),
    ],
)
def test_locale_follows_language_and_jurisdiction(lang, jurisdiction, locale):
    assert locale_for(lang, jurisdiction) == locale
    assert locale in CONVENTIONS


@pytest.mark.parametrize(
    ("case_language", "jurisdiction", "expected"),
    [
        ("", "CN", "zh_CN"),
        ("", "GB", "en"),
        ("zh-CN", "US", "zh_CN"),
        ("zh", "GB", "zh_CN"),
        ("en", "CN", "en"),
        ("fr", "other", "en"),
    ],
)
def test_default_language(case_language, jurisdiction, expected):
    assert default_language(case_language, jurisdiction) == expected
