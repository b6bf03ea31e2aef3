"""Letters written from the contact log (issue 9): the table of a caller's
flagged contacts in the PDF and the DOCX, in English and Chinese; each rule's
source named for what it is (a standard or a reading is never called a law);
the regulator each complaint goes to; the UK ombudsman's waiting time."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from tests.letters.support import TODAY, assert_clean, pdf_text
from tests.unit.record_builders import case_file, contact, debt
from webapp.domain.casefile import parse_case
from webapp.domain.contacts import RULES_BY_ID
from webapp.domain.errors import ValidationError
from webapp.letters import render_docx, render_letter, render_pdf
from webapp.letters.catalogue import CATALOGUE, recipients
from webapp.letters.evidence import RULE_WORDS, stamp

OFFSET = {"CN": "+08:00", "US": "-05:00", "GB": "+00:00"}
EVIDENCE = ("contact_restrictions", "contact_complaint", "regulator_complaint")


def evening(jurisdiction: str, debt_id="card", **extra) -> list[dict]:
    """Four answered calls in one evening and one to the borrower's mother."""
    times = (("19:10", "borrower"), ("20:05", "borrower"), ("21:15", "borrower"),
             ("22:20", "borrower"), ("22:40", "family"))
    return [contact(f"2026-11-20T{t}:00{OFFSET[jurisdiction]}", connected=True, party=party,
                    debt_id=debt_id, collector="Agency One", **extra) for t, party in times]


def case(jurisdiction="CN", contacts=None, kind="credit_card", holder=None):
    extra = {"holder": holder} if holder else {}
    data = case_file([debt("card", "5000", kind=kind, account_ref="ACC-1", **extra),
                      debt("other", "900", account_ref="ACC-2")],
                     contacts=evening(jurisdiction) if contacts is None else contacts,
                     jurisdiction=jurisdiction)
    data["borrower"] = {"name": "Lee Example", "address": "1 Page Street, Leeds"}
    return parse_case(data)


def letter(c, key, lang="en", debt_id="card", **extras) -> str:
    if key == "regulator_complaint" and c.jurisdiction == "GB":
        extras.setdefault("complained_on", "2026-09-01")
    return render_letter(c, debt_id, key, lang, today=TODAY, extras=extras)


def pdf_of(html: str) -> str:
    return pdf_text(render_pdf(html))


def rows_of(html: str) -> list[list[str]]:
    [table] = Document(io.BytesIO(render_docx(html))).tables
    return [[cell.text for cell in row.cells] for row in table.rows]


# --- the table, in the PDF and the DOCX ----------------------------------------------------

#: (jurisdiction, the flagged contacts of the evening, their rules in English)
FLAGGED = [
    ("CN", ["22:20", "22:40"], ["Contact between 10 p.m. and 8 a.m.",
                                "More than three answered collection calls in one day",
                                "Contact with someone other than me"]),
    ("US", ["20:05", "21:15", "22:20", "22:40"],
     ["A call within seven days after a telephone conversation",
      "Contact before 8 a.m. or after 9 p.m., my local time",
      "Contact with someone other than me"]),
    ("GB", ["21:15", "22:20", "22:40"], ["Contact before 8 a.m. or after 9 p.m.",
                                         "Contact with someone other than me"]),
]


@pytest.mark.parametrize(("jurisdiction", "flagged", "rules"), FLAGGED,
                         ids=[row[0] for row in FLAGGED])
@pytest.mark.parametrize("key", ["contact_complaint", "regulator_complaint"])
def test_the_pdf_lists_each_flagged_contact_with_its_offset_and_rule(
        jurisdiction, flagged, rules, key):
    c = case(jurisdiction)
    text = pdf_of(letter(c, key))
    assert "Schedule: contacts that break the rules" in text
    offset = OFFSET[jurisdiction]
    for clock in flagged:
        assert f"2026-11-20 {clock} {offset}" in text
    for clock in {"19:10", "20:05", "21:15", "22:20", "22:40"} - set(flagged):
        assert f"2026-11-20 {clock} {offset}" not in text
    for rule in rules:
        assert rule in text
    # (the DOCX test reads the cells whole: a PDF's lines may split a cell's words)
    assert "Phone call" in text and "My family" in text


@pytest.mark.parametrize("jurisdiction", ["CN", "US", "GB"])
def test_the_chinese_pdf_lists_the_same_rows(jurisdiction):
    flagged = next(row[1] for row in FLAGGED if row[0] == jurisdiction)
    text = pdf_of(letter(case(jurisdiction), "contact_complaint", "zh_CN"))
    compact = text.replace(" ", "")
    assert "附：违规催收记录表" in compact
    for clock in flagged:
        assert f"2026-11-20 {clock} {OFFSET[jurisdiction]}" in text
    assert "电话" in compact and "本人家人" in compact


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_docx_has_the_table(lang):
    html = letter(case("CN"), "contact_complaint", lang)
    rows = rows_of(html)
    assert rows[0] == (["Date and time", "How", "Who was contacted", "Rule broken"] if lang == "en"
                       else ["日期和时间", "联系方式", "联系对象", "违反的规定"])
    assert [r[0] for r in rows[1:]] == ["2026-11-20 22:20 +08:00", "2026-11-20 22:40 +08:00"]
    assert rows[2][2] == ("My family" if lang == "en" else "本人家人")


def test_the_table_is_in_time_order_whatever_the_order_of_the_log():
    log = evening("CN")
    text = pdf_of(letter(case("CN", list(reversed(log))), "contact_complaint"))
    assert text.index("22:20 +08:00") < text.index("22:40 +08:00")


def test_only_the_callers_own_contacts_are_listed():
    log = evening("CN") + [contact("2026-11-21T23:30:00+08:00", debt_id="other",
                                   party="employer")]
    text = pdf_of(letter(case("CN", log), "contact_complaint"))
    assert "2026-11-21 23:30" not in text and "My employer" not in text
    by_name = evening("CN", debt_id=None)
    named = pdf_of(letter(case("CN", by_name), "contact_complaint", caller="Agency One"))
    assert "2026-11-20 22:40 +08:00" in named


def test_the_restrictions_letter_lists_the_night_and_family_contacts():
    html = letter(case("CN"), "contact_restrictions", caller="card")
    schedule = pdf_of(html).split("Schedule: contacts that break the rules")[1]
    assert "Contact between 10 p.m. and 8 a.m." in schedule
    assert "Contact with someone other than me" in schedule
    assert "More than three answered" not in schedule
    # without a caller it is the letter it always was: no table
    assert "Schedule" not in pdf_of(letter(case("CN"), "contact_restrictions"))


def test_a_restrictions_letter_for_frequency_alone_lists_the_calls():
    calls = [contact(f"2026-03-0{d}T10:00:00-05:00", debt_id="card") for d in range(1, 8)]
    calls.append(contact("2026-03-07T15:00:00-05:00", debt_id="card"))  # the 8th in 7 days
    schedule = pdf_of(letter(case("US", calls), "contact_restrictions", caller="card"))
    assert "More than seven calls within seven days" in schedule


def test_nothing_flagged_means_no_evidence_letter():
    quiet = case("CN", [contact("2026-11-20T10:00:00+08:00", debt_id="card")])
    for key in ("contact_complaint", "regulator_complaint"):
        with pytest.raises(ValidationError) as caught:
            letter(quiet, key)
        assert [e.path for e in caught.value.errors] == ["contacts"]
        assert recipients(CATALOGUE[key], quiet) == []
    with pytest.raises(ValidationError) as caught:
        letter(quiet, "contact_restrictions", caller="card")
    assert [e.path for e in caught.value.errors] == ["extras.caller"]


def test_an_evidence_letter_goes_to_the_debts_whose_contacts_break_a_rule():
    c = case("CN")
    assert [d.id for d, _row in recipients(CATALOGUE["contact_complaint"], c)] == ["card"]


# --- what kind of rule each is ---------------------------------------------------------------

def test_every_rule_is_worded_for_letters_in_both_languages():
    assert set(RULE_WORDS) == set(RULES_BY_ID)
    for words in RULE_WORDS.values():
        for cite in (words.name, words.short, words.source):
            assert cite.en and cite.zh_CN


def test_chinas_standard_is_called_a_recommended_standard_not_a_law():
    text = pdf_of(letter(case("CN"), "contact_complaint"))
    assert "recommended standard rather than a law" in text
    assert "It is a recommended national standard, not a law or regulation." in text
    compact = pdf_of(letter(case("CN"), "contact_complaint", "zh_CN")).replace(" ", "")
    assert "该标准为推荐性国家标准，不是法律" in compact


def test_article_68_is_cited_for_a_credit_card_only():
    card = pdf_of(letter(case("CN"), "contact_complaint"))
    assert "Article 68" in card and "binds banks" in card
    online = pdf_of(letter(case("CN", kind="online_loan"), "contact_complaint"))
    assert "Article 68" not in online
    assert "never from the people in their contacts" in online


def test_the_uk_hours_are_the_borrowers_reading_and_the_family_contact_a_check():
    text = pdf_of(letter(case("GB"), "contact_complaint"))
    assert "The rule names no hours" in text and "I regard as unreasonable" in text
    assert "depends on what was said" in text


def test_a_us_lender_is_told_the_federal_rules_bind_collectors():
    lender = pdf_of(letter(case("US"), "contact_complaint"))
    assert "bind debt collectors" in lender
    agency = pdf_of(letter(case("US", holder="collection_agency"), "contact_complaint"))
    assert "bind debt collectors" not in agency
    assert "presumed to be harassment" in agency
    assert "12C.F.R.§1006.14(b)(2)(i)(B)" in agency.replace(" ", "")


def test_the_rule_of_seven_calls_in_seven_days_is_cited_as_regulation_f():
    calls = [contact(f"2026-03-0{d}T10:00:00-05:00", debt_id="card") for d in range(1, 8)]
    calls.append(contact("2026-03-07T15:00:00-05:00", debt_id="card"))  # the 8th in 7 days
    text = pdf_of(letter(case("US", calls, holder="debt_buyer"), "contact_complaint"))
    assert "More than seven calls within seven days" in text
    assert "12C.F.R.§1006.14(b)(2)(i)(A)" in text.replace(" ", "")


# --- the regulator ---------------------------------------------------------------------------

@pytest.mark.parametrize(("jurisdiction", "kind", "route", "lang", "addressed"), [
    ("CN", "credit_card", "", "zh_CN", "致国家金融监督管理总局："),
    ("CN", "online_loan", "", "zh_CN", "致贷款机构注册地的地方金融管理局："),
    ("CN", "online_loan", "nfra", "zh_CN", "致国家金融监督管理总局："),
    ("CN", "credit_card", "", "en", "National Financial Regulatory Administration"),
    ("US", "credit_card", "", "en", "Consumer Financial Protection Bureau"),
    ("GB", "credit_card", "", "en", "Financial Ombudsman Service"),
])
def test_the_regulator_complaint_goes_to_the_regulator(jurisdiction, kind, route, lang,
                                                       addressed):
    extras = {"route": route} if route else {}
    html = letter(case(jurisdiction, kind=kind), "regulator_complaint", lang, **extras)
    assert addressed in pdf_of(html).replace(" ", "") if lang == "zh_CN" else \
        addressed in pdf_of(html)
    assert_clean(html)


def test_the_us_and_uk_regulators_have_their_postal_addresses():
    assert "Iowa City, IA 52244" in pdf_of(letter(case("US"), "regulator_complaint"))
    assert "E14 9SR" in pdf_of(letter(case("GB"), "regulator_complaint"))


def test_a_route_is_only_for_china_and_only_one_of_two():
    with pytest.raises(ValidationError) as caught:
        letter(case("US"), "regulator_complaint", route="local")
    assert [e.path for e in caught.value.errors] == ["extras.route"]
    with pytest.raises(ValidationError) as caught:
        letter(case("CN"), "regulator_complaint", route="police")
    assert [e.path for e in caught.value.errors] == ["extras.route"]


@pytest.mark.parametrize(("extras", "problem"), [
    ({"complained_on": None}, "extras.complained_on"),
    ({"complained_on": "2026-11-01"}, "extras.complained_on"),  # under 8 weeks, no answer
    ({"complained_on": "2026-12-02"}, "extras.complained_on"),  # after today
    ({"complained_on": "2026-11-01", "final_response_on": "2026-10-01"},
     "extras.final_response_on"),
    ({"complained_on": "2026-10-06"}, None),  # 8 weeks to the day
    ({"complained_on": "2026-11-01", "final_response_on": "2026-11-20"}, None),
])
def test_the_ombudsman_takes_a_complaint_after_the_final_response_or_eight_weeks(
        extras, problem):
    c = case("GB")
    given = {k: v for k, v in extras.items() if v is not None}
    if problem is None:
        html = render_letter(c, "card", "regulator_complaint", "en", today=TODAY, extras=given)
        assert "Financial Ombudsman Service" in html
        return
    with pytest.raises(ValidationError) as caught:
        render_letter(c, "card", "regulator_complaint", "en", today=TODAY, extras=given)
    assert problem in [e.path for e in caught.value.errors]


def test_the_eight_weeks_run_from_the_complaint():
    assert (TODAY - date(2026, 10, 6)).days == 56


# --- hostile values -------------------------------------------------------------------------

@pytest.mark.parametrize("key", EVIDENCE)
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_hostile_collector_name_is_escaped(key, lang):
    log = evening("CN")
    for entry in log:
        entry["collector"] = "<script>alert(1)</script>{{ 7*7 }}"
    html = letter(case("CN", log), key, lang, **({"caller": "card"}
                                                 if key == "contact_restrictions" else {}))
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "49" not in html.split("</style>", 1)[1]


def test_the_local_time_is_written_with_its_offset():
    from datetime import datetime

    assert stamp(datetime.fromisoformat("2027-03-14T21:30:00-04:00")) == "2027-03-14 21:30 -04:00"
    assert stamp(datetime.fromisoformat("2027-01-03T22:30:00+08:00")) == "2027-01-03 22:30 +08:00"
