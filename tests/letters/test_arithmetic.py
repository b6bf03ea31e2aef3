"""The creditor's arithmetic in every offer letter (issue 12), read back from the
PDF: what the creditor recovers under the offer and by when, in its own figures,
against a sale after default and a court claim on the same budget; in English and
Chinese; and never a threat."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.letters.test_careful_english import pdf_text
from webapp.domain.casefile import parse_case
from webapp.domain.plan import make_plan
from webapp.letters import render_letter, render_pdf

TODAY = date(2026, 12, 1)
SENDER = {"name": "Alex Example", "address": "1 Page Street\nLeeds\nLS1 1AA"}


def raw_case(jurisdiction="GB", currency="GBP", income="1500", lump_sum=None):
    """Rent 700 and food 500 on ``income`` a month; a card (4,000) and a loan
    (2,000) whose contractual payments (350) are more than the 300 left: fair
    shares of 200 and 100 clear both in 20 months, the last on 31 August 2028."""
    raw = {
        "format": "parley-case/1", "currency": currency, "jurisdiction": jurisdiction,
        "start_date": "2027-01-31", "household": {"adults": 2, "children": 1},
        "income": [{"label": "Wages", "amount": income, "frequency": "monthly"}],
        "expenses": [
            {"label": "Rent", "category": "housing", "amount": "700", "frequency": "monthly"},
            {"label": "Food", "category": "food", "amount": "500", "frequency": "monthly"}],
        "debts": [
            {"id": "card", "creditor": "Card Bank", "kind": "credit_card", "balance": "4000",
             "apr": "20", "contractual_payment": "200", "account_ref": "C-1"},
            {"id": "loan", "creditor": "Loan Co", "kind": "personal_loan", "balance": "2000",
             "apr": "10", "contractual_payment": "150", "account_ref": "L-2"}],
        "borrower": SENDER,
    }
    if lump_sum:
        raw["lump_sum"] = lump_sum
    return raw


def letter(raw, key, lang, debt="card", strategy=None, **extras) -> str:
    case = parse_case(raw)
    html = render_letter(case, debt, key, lang, today=TODAY, plan=make_plan(case),
                         strategy=strategy, extras=extras or None)
    text = pdf_text(render_pdf(html))
    return text.replace(" ", "") if lang == "zh_CN" else text


def test_a_proposal_says_when_the_whole_balance_is_repaid_and_what_else_the_creditor_gets():
    text = letter(raw_case(), "proposal", "en")
    assert ("What this offer means for you: at this rate the balance of £4,000.00 would be "
            "repaid in 20 monthly payments, the last on 31 Aug 2028.") in text
    assert ("After a default, a sale would bring a fraction of the balance, and a court claim "
            "a fee and a wait for payments from this same budget (about £200.00 a month).") in text
    loan = letter(raw_case(), "proposal", "en", debt="loan")
    assert "the balance of £2,000.00 would be repaid in 20 monthly payments" in loan
    assert "(about £100.00 a month)" in loan


def test_in_chinese_the_same_figures():
    text = letter(raw_case(), "proposal", "zh_CN")
    assert "按本方案，贵行将分20期收回£4,000.00，即全部欠款，最后一期于2028年8月31日支付。" in text
    assert ("违约后转让债权，贵行只能收回余额的一小部分；诉诸法院则需支付诉讼费用并等待判决，"
            "而法院确定的还款同样只能来自这份收支，即每月约£200.00。") in text


def test_an_american_creditor_is_told_what_a_buyer_would_pay_for_its_account():
    text = letter(raw_case("US", "USD"), "proposal", "en")
    assert ("the balance of $4,000.00 would be repaid in 20 monthly payments, the last on "
            "Aug 31, 2028.") in text
    assert ("(buyers have paid about 4 cents per dollar, US Federal Trade Commission, 2013: "
            "about $160.00 here)") in text
    zh = letter(raw_case("US", "USD"), "proposal", "zh_CN")
    assert "（美国联邦贸易委员会2013年报告：平均约为每美元4美分，本账户约US$160.00）" in zh


def test_a_token_offer_says_what_arrives_by_the_review_and_that_nothing_else_can():
    raw = raw_case(income="1000")  # 200 short each month
    text = letter(raw, "token", "en")
    assert ("What this offer means for you: £3.00 by 30 Apr 2027, when I will review my budget "
            "and write again. Without an arrangement there is nothing to pay you from: my "
            "income does not cover my essential costs and priority debts.") in text
    assert "(about £" not in text  # no monthly figure a court could order from a deficit
    zh = letter(raw, "token", "zh_CN")
    assert "按本方案，贵行在2027年4月30日前将收到£3.00，届时本人将复核收支并再次联系。" in zh
    assert ("若不达成还款安排，本人的收入不足以支付基本生活开支和优先债务，"
            "没有可用于还款的资金。") in zh


def test_a_settlement_says_how_long_the_budget_would_take_to_pay_as_much():
    # 2,400 is 40% of 6,000: the card's 1,600 is eight months of its 200 share
    raw = raw_case(lump_sum="2400")
    text = letter(raw, "settlement", "en", deadline="2026-12-22")
    assert ("What this offer means for you: £1,600.00 (40% of the balance) in one payment, as "
            "soon as you accept in writing; at the £200.00 a month my budget could pay you, "
            "that much would take eight months.") in text
    zh = letter(raw, "settlement", "zh_CN", deadline="2026-12-22")
    assert ("按本方案，贵行书面同意后即可一次性收回£1,600.00（为欠款余额的40%）；按本人每月可向贵行"
            "支付的£200.00计算，还到这一金额需要8个月。") in zh


def cn_case():
    """A CN household with 3,000 a month for two cards that ask 4,500: 15 months of
    2,000 and 1,000 clear them (the last on 31 March 2028), within 第七十条's 60."""
    raw = raw_case("CN", "CNY", income="10000")
    raw["expenses"][0]["amount"] = "4000"
    raw["expenses"][1]["amount"] = "3000"
    raw["debts"] = [
        {"id": "icbc", "creditor": "工商银行信用卡中心", "kind": "credit_card", "balance": "30000",
         "apr": "18", "contractual_payment": "3000", "account_ref": "6222"},
        {"id": "cmb", "creditor": "招商银行信用卡中心", "kind": "credit_card", "balance": "15000",
         "apr": "18", "contractual_payment": "1500", "account_ref": "6225"}]
    return raw


def test_a_personalised_instalment_request_states_the_total_and_the_last_date():
    zh = letter(cn_case(), "cn_instalment", "zh_CN", debt="icbc", strategy="term_extension")
    assert "分期期限：共15期（不超过60个月）" in zh
    assert "按本方案，贵行将分15期收回¥30,000.00，即全部欠款，最后一期于2028年3月31日支付。" in zh
    assert "即每月约¥2,000.00。" in zh
    en = letter(cn_case(), "cn_instalment", "en", debt="icbc", strategy="term_extension")
    assert "(no more than the 60 months the rule allows)" in en
    assert "You would receive CN¥30,000.00, the whole balance, by Mar 31, 2028." in en
    assert "(about CN¥2,000.00 a month)" in en


def test_an_instalment_request_at_a_proposed_rate_never_says_interest_stops():
    """At 6% a year the 30,000 balance takes 16 payments (1,955.69, the last 1,955.54):
    31,290.89 in all, 1,290.89 of it interest. The letter says so, and the recovery
    figure above the balance is explained, not contradicted."""
    raw = cn_case()
    raw["options"] = {"term_apr": "6"}
    zh = letter(raw, "cn_instalment", "zh_CN", debt="icbc", strategy="term_extension")
    assert ("四、分期期间按年利率6%计收利息，分期还款总额¥31,290.89，其中利息¥1,290.89；"
            "停止收取年费、违约金及其他各项费用；") in zh
    assert "本人申请延长还款期限，按降低后的利率计息，按月等额偿还欠款" in zh
    assert "按本方案，贵行将分16期收回¥31,290.89（为欠款余额的104.3%）" in zh
    assert "停止收取年费、利息" not in zh and "停止计息" not in zh
    en = letter(raw, "cn_instalment", "en", debt="icbc", strategy="term_extension")
    assert ("Interest at 6% a year (CN¥1,290.89 in all); no annual "
            "fee or other charges.") in en
    assert "Interest, the annual fee" not in en and "frozen" not in en
    assert "You would receive CN¥31,290.89 by Apr 30, 2028." in en


def test_an_instalment_request_without_a_rate_still_says_interest_stops():
    zh = letter(cn_case(), "cn_instalment", "zh_CN", debt="icbc", strategy="term_extension")
    assert "四、分期期间停止收取年费、利息、违约金及其他各项费用；" in zh
    assert "在停止计息的前提下按月等额偿还欠款" in zh and "其中利息" not in zh
    en = letter(cn_case(), "cn_instalment", "en", debt="icbc", strategy="term_extension")
    assert "Interest, the annual fee and all other charges stop for the length of the plan." in en


def test_a_proposal_at_a_proposed_rate_asks_for_that_rate_not_a_freeze():
    raw = cn_case()
    raw["options"] = {"term_apr": "6"}
    en = letter(raw, "proposal", "en", debt="icbc", strategy="term_extension")
    assert ("Please charge no more than the interest (6% a year) set out in this offer and "
            "freeze all other charges on this account") in en
    assert "Please freeze interest" not in en
    zh = letter(raw, "proposal", "zh_CN", debt="icbc", strategy="term_extension")
    assert ("恳请贵行在本人按约还款期间按本方案的年利率6%计收利息，"
            "停止计收违约金及其他各项费用") in zh
    assert "停止计收利息" not in zh


def test_a_request_to_reconsider_repeats_what_the_creditor_would_receive():
    text = letter(raw_case(), "reconsider", "en", refused_on="2026-11-20")
    assert "You would receive £4,000.00, the whole balance, by 31 Aug 2028." in text
    zh = letter(raw_case(), "reconsider", "zh_CN", refused_on="2026-11-20")
    assert "按本方案，贵行将分20期收回£4,000.00，即全部欠款，最后一期于2028年8月31日支付。" in zh


@pytest.mark.parametrize("key", ["proposal", "token", "settlement", "reconsider"])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_arithmetic_is_never_a_threat(key, lang):
    raw = raw_case(income="1000" if key == "token" else "1500",
                   lump_sum="2400" if key == "settlement" else None)
    extras = {"deadline": "2026-12-22"} if key == "settlement" else {}
    case = parse_case(raw)
    html = render_letter(case, "card", key, lang, today=TODAY, plan=make_plan(case),
                         extras=extras or None)
    paragraph = re.search(r'<p class="[^"]*arithmetic[^"]*">(.*?)</p>', html, re.S).group(1)
    for word in ("bankrupt", "insolv", "stop paying", "will not pay", "threat", "破产", "停止还款",
                 "不再还款"):
        assert word not in paragraph.lower()


def test_a_court_share_above_the_offer_is_not_quoted_against_the_offer():
    """Avalanche on 400 a month: the card (20%) gets 250 and the loan 150, where
    fair shares would be 266.67 and 133.33. Telling the card's lender that a court
    would order more than the offer would argue for refusing it: the court's
    figure is quoted only when it is no more than what the letter offers."""
    raw = raw_case(income="1600")
    card = letter(raw, "proposal", "en", strategy="avalanche")
    assert "£250.00" in card
    assert "a wait for payments from this same budget." in card
    assert "£266.67" not in card
    loan = letter(raw, "proposal", "en", debt="loan", strategy="avalanche")
    assert "(about £133.33 a month)" in loan
    zh = letter(raw, "proposal", "zh_CN", strategy="avalanche")
    assert "而法院确定的还款同样只能来自这份收支。" in zh and "£266.67" not in zh


@pytest.mark.parametrize("key", ["confirmation", "annual_review"])
def test_later_letters_at_a_proposed_rate_do_not_say_interest_is_frozen(key):
    raw = cn_case()
    raw["options"] = {"term_apr": "6"}
    extras = {"call_date": "2026-11-20"} if key == "confirmation" else {}
    en = letter(raw, key, "en", debt="icbc", strategy="term_extension", **extras)
    assert "6% a year" in en and "frozen" not in en
    zh = letter(raw, key, "zh_CN", debt="icbc", strategy="term_extension", **extras)
    assert "按年利率6%计收利息" in zh and "停止计收利息" not in zh
    plain = letter(cn_case(), key, "en", debt="icbc", strategy="term_extension", **extras)
    assert "frozen" in plain


def test_an_instalment_request_on_the_contractual_rate_names_that_rate():
    """When the offer keeps interest running at the card's own rate (the example's
    plan is highest-interest-first), the letter names the rate and the interest
    and never says interest stops; the total above the balance is explained."""
    from tests.letters.test_print import EXAMPLES, _pdf

    path = next(p for p in EXAMPLES.values() if p.stem == "cn-credit-cards")
    text = " ".join(_pdf(path, "cn_instalment", "en")[0])
    text = re.sub(r"\s+", " ", text)
    assert ("Interest at 18.25% a year (CN¥3,830.45 in all); no annual fee or other "
            "charges.") in text
    assert "You would receive CN¥41,830.45 by Feb 29, 2028." in text  # 38,000 + 3,830.45
    assert "Interest, the annual fee" not in text
