"""The plan page recommends one option with its reason and says why not the
others; a settlement below the floor is marked unlikely to be accepted, with the
lump sums that would reach 40 and 60 %; a Chinese term extension quotes 第七十条;
settlement letters below the floor are written only when the user insists
(issue 12)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Letter, Proposal

DATA = Path(__file__).resolve().parents[1] / "data"


def html_text(html: str) -> str:
    inline = re.sub(r"</?(strong|small)>", "", html)  # words, not blocks
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline)).replace("&#39;", "'")


def import_raw(client, raw: dict) -> str:
    response = client.post("/cases/import", data={"text": json.dumps(raw)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def plan_page(client, url: str, lang: str = "en") -> str:
    with client.session_transaction() as session:
        session["lang"] = lang
    response = client.get(url + "/plan")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, anchor: str) -> str:
    return html_text(html.split(anchor, 1)[1].split("</section>", 1)[0])


def card(html: str, name: str) -> str:
    return html_text(html.split(f'<article id="strategy-{name}"', 1)[1].split("</article>")[0])


def two_creditors(jurisdiction="GB", currency="GBP", income="1500", lump_sum=None,
                  card_balance="4000"):
    raw = {
        "format": "parley-case/1", "currency": currency, "jurisdiction": jurisdiction,
        "start_date": "2027-01-31", "household": {"adults": 2, "children": 1},
        "income": [{"label": "Wages", "amount": income, "frequency": "monthly"}],
        "expenses": [{"label": "Rent", "category": "housing", "amount": "1200",
                      "frequency": "monthly"}],
        "debts": [
            {"id": "card", "creditor": "Card Bank", "kind": "credit_card",
             "balance": card_balance, "apr": "20", "contractual_payment": "200"},
            {"id": "loan", "creditor": "Loan Co", "kind": "personal_loan", "balance": "2000",
             "apr": "10", "contractual_payment": "150"}],
    }
    if lump_sum:
        raw["lump_sum"] = lump_sum
    return raw


@pytest.fixture
def user(auth):
    auth.register()


def test_fair_shares_are_recommended_and_the_others_explained(client, user):
    html = plan_page(client, import_raw(client, two_creditors()))
    rec = section(html, 'id="recommendation"')
    assert "We recommend: Fair shares, interest frozen" in rec
    assert ("You have 2 creditors and cannot pay them what their agreements ask. Fair shares "
            "with interest frozen treat each one alike") in rec
    assert ("Highest interest first: What is left does not cover the contractual payments "
            "(£350.00 a month).") in rec
    assert ("Longer term: Fair shares already fit your budget. Ask a creditor for a longer "
            "term if it refuses them.") in rec
    assert "Full and final settlement: There is no lump sum to offer." in rec
    assert "Token payments" not in rec  # not needed beside real offers: not listed
    assert 'data-recommended="pro_rata"' in html
    assert "Recommended now" in card(html, "pro_rata")


def test_the_recommendation_in_chinese(client, user):
    html = plan_page(client, import_raw(client, two_creditors()), "zh_CN")
    rec = section(html, 'id="recommendation"')
    assert "我们建议：" in rec and "你有2家债权人，无法按合同约定向他们还款。" in rec
    assert "为什么不建议其他方案" in rec


def test_a_lump_sum_below_the_floor_is_marked_with_what_would_reach_40_and_60(client, user):
    raw = json.loads((DATA / "examples" / "us-with-priority.json").read_text())
    html = plan_page(client, url := import_raw(client, raw))
    settlement = card(html, "settlement")
    assert "Unlikely to be accepted" in settlement
    assert ("Unlikely to be accepted: $1,500.00 is 10.34% of what you owe, and creditors "
            "rarely accept less than 30%. A lump sum of $5,800.00 would reach 40%, and "
            "$8,700.00 60%.") in settlement
    assert ("Full and final settlement: Unlikely to be accepted: your lump sum is 10.34% of "
            "what you owe, and creditors rarely accept less than 30%.") in section(
        html, 'id="recommendation"')
    zh = card(plan_page(client, url, "zh_CN"), "settlement")
    assert ("不太可能被接受：US$1,500.00只相当于欠款的10.34%，而债权人很少接受低于30%的方案。"
            "一次性支付US$5,800.00可达到40%，支付US$8,700.00可达到60%。") in zh


def test_a_realistic_settlement_is_recommended(client, user):
    # 10 a month would take years; 2,400 is 40% of the 6,000 owed
    html = plan_page(client, import_raw(client, two_creditors(income="1210",
                                                              lump_sum="2400")))
    rec = section(html, 'id="recommendation"')
    assert "We recommend: Full and final settlement" in rec
    assert "Your lump sum reaches 40% of what you owe, a share creditors accept" in rec
    assert ("Fair shares, interest frozen: Your lump sum can settle every debt now at a share "
            "creditors accept; monthly payments would take years.") in rec
    assert "Unlikely to be accepted" not in card(html, "settlement")


def test_the_floor_is_the_cases_own_setting(client, user):
    raw = two_creditors(income="1210", lump_sum="2400")
    raw["options"] = {"settlement_floor": "45"}
    html = plan_page(client, import_raw(client, raw))
    assert "creditors rarely accept less than 45%" in card(html, "settlement")
    assert 'data-recommended="pro_rata"' in html


def test_a_chinese_term_extension_quotes_article_70_and_what_would_make_it_fit(client, user):
    raw = two_creditors("CN", "CNY", income="1300", card_balance="6000")
    raw["debts"][1]["balance"] = "3000"
    raw["debts"][0]["contractual_payment"] = raw["debts"][1]["contractual_payment"] = "300"
    url = import_raw(client, raw)
    term = card(plan_page(client, url), "term_extension")
    assert ("In China a bank may agree personalised instalments over at most 60 months "
            "(Article 70 of the credit card Measures).") in term
    assert ("Even over the 60 months that Article 70 of the credit card Measures allows, you "
            "would need CN¥150.00 a month. It would fit with that much a month, or with a lump "
            "sum of CN¥3,000.59 paid now and the rest over 60 months.") in term
    zh = card(plan_page(client, url, "zh_CN"), "term_extension")
    assert "最长为60个月（《商业银行信用卡业务监督管理办法》第七十条）" in zh
    assert "你每月也需要还款¥150.00。若每月能拿出这么多，或者现在一次性支付¥3,000.59" in zh


@pytest.fixture
def settlement_letters(app, client, user):
    from tests.letters.support import sendable

    raw = sendable(json.loads((DATA / "examples" / "us-with-priority.json").read_text()))
    url = import_raw(client, raw)
    assert client.post(url + "/plan", data={"strategy": "settlement"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        return f"{url}/proposals/{proposal.public_id}/letters"


def letter_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Letter)).all())


def test_settlement_letters_below_the_floor_need_the_user_to_insist(app, client,
                                                                    settlement_letters):
    page = client.get(settlement_letters).get_data(as_text=True)
    warning = html_text(page.split('id="below-floor-warning"', 1)[1].split("</div>", 1)[0])
    assert ("This settlement offers 10.34% of what you owe. Creditors rarely accept less than "
            "30%, so the letter would probably be refused. A lump sum of $5,800.00 would reach "
            "40%, and $8,700.00 60%.") in warning
    data = {"letter_type": "settlement", "language": "en", "acknowledge_surplus": "y"}
    response = client.post(settlement_letters, data=data)
    assert response.status_code == 422
    assert response.get_data(as_text=True).count('id="insist_below_floor-error"') == 1
    assert letter_count(app) == 0
    response = client.post(settlement_letters, data={**data, "insist_below_floor": "y"})
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Letter).where(Letter.debt_ref.is_not(None))).all()
        # the insistence is recorded with every settlement letter
        assert rows and all(r.extras.get("below_floor") is True for r in rows)


def test_other_letters_of_a_low_settlement_need_no_insisting(client, settlement_letters):
    response = client.post(settlement_letters, data={"letter_type": "hold", "language": "en"})
    assert response.status_code == 302
