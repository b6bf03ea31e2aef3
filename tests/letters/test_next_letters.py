"""The next letters of a negotiation (issue 8): follow-up, information cover
letter, complaint and write-off request, in English and Chinese, read as a
reader sees them (text extracted from the HTML), and one as a PDF."""

from __future__ import annotations

import pytest

from tests.letters.support import TODAY, html_text, pdf_text
from webapp.letters import render_letter, render_pdf


def text(examples, name, debt, key, lang, **extras):
    case, plan = examples[name]
    return html_text(render_letter(case, debt, key, lang, today=TODAY, plan=plan,
                                   extras=extras))


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["On 20 Oct 2026 I wrote to you about the account above with an offer of payment",
            "within 14 days, by 15 Dec 2026"]),
    ("zh_CN", ["本人已于2026年10月20日就上述账户向", "在14日内，即2026年12月15日前"]),
])
def test_a_follow_up_names_the_day_the_offer_went_out_and_gives_14_days(examples, lang,
                                                                        expected):
    words = text(examples, "gb-family", "vanq", "follow_up", lang, sent_on="2026-10-20")
    for phrase in expected:
        assert phrase in words


def test_a_follow_up_without_the_date_still_reads_well(examples):
    words = text(examples, "gb-family", "vanq", "follow_up", "en")
    assert "I recently wrote to you" in words and "On None" not in words


@pytest.mark.parametrize(("name", "debt", "lang", "route"), [
    ("gb-family", "vanq", "en", "the Financial Ombudsman Service"),
    ("us-with-priority", "amex", "en", "the Consumer Financial Protection Bureau"),
    ("cn-credit-cards", "icbc", "en", "complaints hotline 12378"),
    ("gb-family", "vanq", "zh_CN", "英国金融申诉专员服务机构投诉"),
    ("us-with-priority", "amex", "zh_CN", "美国消费者金融保护局（CFPB）投诉"),
    ("cn-credit-cards", "icbc", "zh_CN", "投诉热线12378"),
])
def test_a_complaint_names_the_refusals_and_the_route_beyond_the_creditor(
        examples, name, debt, lang, route):
    words = text(examples, name, debt, "complaint", lang, refused_on="2026-11-02")
    assert route in words
    assert ("formal complaint" in words and "refused it twice" in words
            if lang == "en" else "正式提出投诉" in words and "两次拒绝" in words)
    assert ("2 Nov 2026" in words or "Nov 2, 2026" in words or "2026年11月2日" in words)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["The documents enclosed: payslips for May and June",
            "proof of unemployment"]),
    ("zh_CN", ["随函附上的材料：5月和6月的工资单。", "失业证明"]),
])
def test_the_information_letter_lists_the_documents_enclosed(examples, lang, expected):
    documents = "payslips for May and June" if lang == "en" else "5月和6月的工资单"
    words = text(examples, "gb-family", "vanq", "information", lang, documents=documents,
                 proofs=["unemployment"])
    for phrase in expected:
        assert phrase in words


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["ask you to write off the debt", "not going to improve", "a medical diagnosis"]),
    ("zh_CN", ["核销", "长期情况", "诊断书"]),
])
def test_the_write_off_request_states_lasting_circumstances_and_evidence(examples, lang,
                                                                          expected):
    words = text(examples, "gb-family", "klarna", "write_off", lang,
                 circumstances="Long-term illness", proofs=["diagnosis"])
    for phrase in expected:
        assert phrase in words


def test_a_chinese_complaint_prints_as_a_pdf(examples):
    case, plan = examples["cn-credit-cards"]
    html = render_letter(case, "icbc", "complaint", "zh_CN", today=TODAY, plan=plan,
                         extras={"refused_on": "2026-11-02"})
    data = render_pdf(html)
    assert data.startswith(b"%PDF")
    words = pdf_text(data).replace(" ", "")
    assert "正式投诉函" in words and "12378" in words
