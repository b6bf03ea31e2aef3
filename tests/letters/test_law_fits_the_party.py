"""The law a letter cites fits the party it goes to (issue 13, items 6 and 8).

US: the FDCPA and Regulation F bind debt collectors (collection agencies and
debt buyers), not the lender that gave the credit. UK: CONC 7.3.4R, CONC 7.9
and CCA s.77-78 are cited for what they say. Checked on the text a creditor
reads: extracted from the rendered HTML, and from the PDF for one of each.
"""

from __future__ import annotations

import re

import pytest

from tests.letters.support import (
    TODAY,
    html_text,
    load_raw,
    pdf_text,
    required_extras,
    us_collectors_raw,
    with_lump_sum,
)
from webapp.domain.casefile import parse_case
from webapp.domain.plan import make_plan
from webapp.letters import render_letter, render_pdf

FDCPA = re.compile(r"1692|1006\.|Fair Debt Collection|公平债务催收作业法|F条例")


@pytest.fixture(scope="module")
def us():
    case = parse_case(us_collectors_raw())
    return case, make_plan(case)


def letter(case_plan, debt, key, lang="en", **extras) -> str:
    case, plan = case_plan
    return html_text(render_letter(case, debt, key, lang, today=TODAY, plan=plan, extras=extras))


def sentence_with(text: str, needle: str) -> str:
    """The paragraph (line) of ``text`` that contains ``needle``."""
    return next(line for line in text.splitlines() if needle in line)


# --- 13.6: US collection law only for collectors and debt buyers -------------


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("key", ["prove_debt", "contact_restrictions"])
def test_an_original_creditor_gets_no_fdcpa_citation(us, key, lang):
    text = letter(us, "chase", key, lang, **({"dispute": "the fees"} if key == "prove_debt"
                                            else {}))
    assert not FDCPA.search(text), text
    if key == "prove_debt":
        assert ("Request for information about my account" in text
                or "账户信息查询申请" in text)
        assert "I dispute this debt" not in text and "债务异议及核实申请" not in text


def test_the_original_creditors_letters_ask_plainly_and_cite_the_reporting_duty_it_has(us):
    text = letter(us, "chase", "prove_debt", dispute="the late fees of $120")
    assert "a statement showing the balance and how it is made up" in text
    assert "15 U.S.C. § 1681s-2(a)(3) requires you to note that I dispute it" in text
    contact = letter(us, "chase", "contact_restrictions")
    assert "How I would like you to contact me" in contact
    assert "please give them these instructions" in contact


@pytest.mark.parametrize("debt", ["midland", "allied"])
def test_a_collector_gets_the_validation_letter_and_the_fdcpa_contact_letter(us, debt):
    proof = letter(us, debt, "prove_debt")
    assert "I dispute this debt: please verify it" in proof
    assert "15 U.S.C. § 1692g" in proof
    contact = letter(us, debt, "contact_restrictions")
    third = sentence_with(contact, "third parties")
    assert third.startswith("Under 15 U.S.C. § 1692c(b) you may not communicate with third")
    assert "§ 1692b" in contact and "You may contact others only as" not in contact
    writing = sentence_with(contact, "only in writing")
    assert "12 C.F.R. § 1006.14(h)" in writing
    phone = letter(us, debt, "contact_restrictions", contact_times="on weekdays 10 a.m.-4 p.m.")
    assert "12 C.F.R. § 1006.14(b)(2)" in sentence_with(phone, "seven times within seven days")


def test_a_debt_buyer_is_asked_to_report_the_dispute_and_tell_any_buyer(us):
    text = letter(us, "midland", "prove_debt")
    report = sentence_with(text, "report it as disputed")
    assert "15 U.S.C. § 1692e(8)" in report
    assert "If you sell or transfer the debt, please tell the buyer in writing that I dispute it" \
        in report


def test_the_chinese_collector_letters_cite_1692c_b_for_third_parties(us):
    contact = letter(us, "midland", "contact_restrictions", "zh_CN")
    assert "第1692c(b)条，未经本人同意" in contact
    assert "第1692b条（仅为查找" not in contact
    proof = letter(us, "midland", "prove_debt", "zh_CN")
    assert "第1692e(8)条" in proof and "请书面告知受让方本人对该债务有异议" in proof
    assert "债务催收执照" in proof and "账龄" in proof


def test_the_example_letters_to_american_lenders_cite_no_fdcpa(examples):
    case, plan = examples["us-with-priority"]  # American Express and SoFi lent the money
    for debt in ("amex", "sofi"):
        for key in ("prove_debt", "contact_restrictions"):
            text = html_text(render_letter(case, debt, key, "en", today=TODAY, plan=plan))
            assert not FDCPA.search(text), (debt, key)


def test_the_pdf_of_a_debt_buyers_dispute_letter_says_the_same(us):
    case, plan = us
    pdf = pdf_text(render_pdf(render_letter(case, "midland", "prove_debt", "en", today=TODAY,
                                            plan=plan)))
    assert "15 U.S.C. § 1692g" in pdf and "15 U.S.C. § 1692e(8)" in pdf
    assert "license number" in pdf and "date of default" in pdf
    lender = pdf_text(render_pdf(render_letter(case, "chase", "contact_restrictions", "en",
                                               today=TODAY, plan=plan)))
    assert not FDCPA.search(lender)


# --- 13.8: the UK rules, for what they say --------------------------------------


@pytest.fixture(scope="module")
def gb():
    case = parse_case(with_lump_sum(load_raw("gb-family")))
    return case, make_plan(case)


@pytest.mark.parametrize("key", ["reconsider", "proposal", "hold", "token"])
def test_conc_7_3_4r_is_cited_for_forbearance_and_due_consideration(gb, key):
    from tests.letters.support import able_to_offer

    text = letter(able_to_offer(*gb, key), "vanq", key)
    assert "requires you to consider a reasonable offer" not in text
    cited = sentence_with(text, "CONC 7.3.4R")
    assert "forbearance and due consideration" in cited


def test_the_reconsider_letter_gives_the_fcas_guidance_as_guidance(gb):
    cited = sentence_with(letter(gb, "vanq", "reconsider"), "CONC 7.3.4R")
    assert "The FCA's guidance on that rule gives, as an example of a likely breach" in cited
    assert "reasonable proposal for repaying the debt" in cited


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_contact_letter_says_what_conc_7_requires_not_that_it_forbids_contact(gb, lang):
    text = letter(gb, "vanq", "contact_restrictions", lang)
    assert "forbids" not in text and "禁止不当催收及向第三方透露债务" not in text
    if lang == "en":
        assert "Rule CONC 7.9.4R of the FCA's Consumer Credit sourcebook requires you not to " \
               "contact me at unreasonable times" in text
        assert "not to disclose information about my debt to anyone else unfairly" in text
        assert "UK data protection law" in text
        assert "Please do not contact me before 8am or after 9pm" in text
    else:
        assert "第7.9节" in text and "数据保护法" in text


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_sections_77_and_78_ask_for_the_agreement_and_a_statement_not_the_default_notice(
        gb, lang):
    text = letter(gb, "vanq", "prove_debt", lang)
    statutory = sentence_with(text, "77")
    assert "default notice" not in statutory and "违约通知" not in statutory
    if lang == "en":
        assert "true copy of the executed credit agreement" in statutory
        assert "statement of the account" in statutory
        notice = sentence_with(text, "default notice")
        assert notice.startswith("Separately from that request")
    else:
        assert "不属于上述法定申请" in sentence_with(text, "违约通知")


def test_the_uk_pdfs_carry_the_corrected_citations(gb):
    case, plan = gb
    pdf = pdf_text(render_pdf(render_letter(case, "vanq", "prove_debt", "en", today=TODAY,
                                            plan=plan)))
    statutory = pdf.split("Consumer Credit Act 1974", 1)[1].split("I enclose", 1)[0]
    assert "default notice" not in statutory and "Separately from that request" in pdf
    pdf = pdf_text(render_pdf(render_letter(case, "vanq", "reconsider", "en", today=TODAY,
                                            plan=plan)))
    assert "forbearance and due consideration" in pdf
    assert "consider a reasonable offer" not in pdf


@pytest.mark.parametrize("holder", ["original_creditor", "collection_agency", "debt_buyer"])
def test_every_letter_to_every_kind_of_us_holder_renders_clean_in_both_languages(holder):
    from markupsafe import escape

    from tests.letters.support import able_to_offer, assert_clean, hostile_raw
    from webapp.letters import CATALOGUE, LANGUAGES
    from webapp.letters.catalogue import recipients

    raw = hostile_raw("US", "USD")
    for debt in raw["debts"]:
        debt["holder"] = holder
    raw["lump_sum_source"] = "<b>a gift</b> {{ x }}"
    case = parse_case(raw)
    plan = make_plan(case)
    extras = {"dispute": "<i>wrong</i>", "contact_times": "<after 6>",
              **required_extras("confirmation"), **required_extras("counter_proposal")}
    for key, row in CATALOGUE.items():
        if "US" not in row.jurisdictions:
            continue
        given = {f.name: extras[f.name] for f in row.fields if f.name in extras}
        able, able_plan = able_to_offer(case, plan, key)
        debt, letter = recipients(row, able)[0]
        for lang in LANGUAGES:
            html = render_letter(able, debt.id, letter.key, lang, today=TODAY, plan=able_plan,
                                 extras=given)
            assert_clean(html)
            assert str(escape(debt.creditor)) in html
            if key == "settlement" and lang == "en":
                assert "&lt;b&gt;a gift&lt;/b&gt;" in html


def test_a_chinese_letter_to_a_collector_does_not_call_it_the_bank_or_the_borrower_its_client(us):
    for key in ("contact_restrictions", "proposal", "hold"):
        text = letter(us, "midland", key, "zh_CN")
        assert "贵行" not in text and "持卡人" not in text and "借款人" not in text, key
        assert "贵司" in text
    assert "本人系贵行信用卡持卡人" in letter(us, "chase", "hold", "zh_CN")
