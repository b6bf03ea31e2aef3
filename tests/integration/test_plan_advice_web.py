"""The plan page says what an adviser would say (issues 13.1-13.4, 14.3-14.6)."""

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import Debt

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples"
ZH = "zh_CN"


def import_example(client, name: str, **changes) -> str:
    raw = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    raw.update(changes)
    response = client.post("/cases/import", data={"text": json.dumps(raw)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def page(client, url: str, lang: str | None = None) -> str:
    if lang:
        with client.session_transaction() as session:
            session["lang"] = lang  # the language switch
    response = client.get(url + "/plan")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def card(html: str, name: str) -> str:
    return html.split(f'<article id="strategy-{name}"')[1].split("</article>")[0]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def user(auth):
    auth.register()


def test_a_deficit_page_leads_with_the_priority_shortfall_and_real_advice(client, user):
    html = page(client, url := import_example(client, "gb-deficit.json"))
    deficit = html.index('id="deficit"')
    assert deficit < html.index('class="strategies"')
    section = text(html[deficit:html.index('class="strategies"')])
    assert "You are short by £216.27 a month" in section
    # what is at risk, per priority debt
    assert "Leeds City Council" in section and "enforcement: bailiffs" in section
    assert "Northside Lettings" in section and "your home" in section
    # the steps, with real contact routes (plain text, no links out)
    assert "cut what you can" in section and "all the income you are entitled to" in section
    assert "hold collection" in section
    assert "Breathing Space" in section and "Parley cannot apply for you" in section
    assert "National Debtline" in section and "0808 808 4000" in section
    assert "stepchange.org" in section and "citizensadvice.org.uk" in section
    assert 'href="http' not in html
    # only then the token offers, recommended
    assert "Recommended now" in card(html, "token")
    # the old promises of "a breathing space and free debt advice" it never gave are gone
    assert "ask creditors to hold action, and get free debt advice" not in html
    case_page = client.get(url).get_data(as_text=True)
    assert "Parley will suggest token payments and a breathing space" not in case_page
    assert "where to get free advice" in case_page


@pytest.mark.parametrize(("jurisdiction", "currency", "wanted"), [
    ("US", "USD", ("NFCC", "1-800-388-2227")),
    ("CN", "CNY", ("12348", "12378")),
])
def test_the_free_advice_is_the_jurisdictions(client, user, jurisdiction, currency, wanted):
    url = import_example(client, "gb-deficit.json", jurisdiction=jurisdiction, currency=currency)
    section = text(html := page(client, url))
    for phrase in wanted:
        assert phrase in section
    assert "Breathing Space" not in html and "National Debtline" not in html


def test_the_deficit_advice_reads_in_chinese(client, user):
    url = import_example(client, "gb-deficit.json", jurisdiction="CN", currency="CNY")
    html = page(client, url, ZH)
    assert "您每月缺口" in html and "债务顾问会先做的事" in html and "12348" in html


def test_when_the_contractual_payments_fit_the_page_says_keep_them(client, user):
    html = page(client, import_example(client, "gb-family.json"))
    fit = text(html[html.index('id="contractual-fit"'):html.index('class="strategies"')])
    assert "Your contractual payments fit" in fit
    assert "£215.40" in fit and "£129.00" in fit and "£86.40" in fit
    assert "no creditor needs to be asked for a reduction" in fit
    assert "Not needed" in card(html, "pro_rata") and 'data-feasible="no"' in html
    assert "Recommended now" in card(html, "avalanche")
    # 14.4: no "Token payments: Possible" beside £215.40 free
    assert 'id="strategy-token"' not in html


def test_the_settlement_card_without_a_lump_sum_says_what_would_do(client, user):
    settlement = card(page(client, import_example(client, "gb-family.json")), "settlement")
    assert "£964.00 to £1,446.00" in settlement
    assert "To clear it in 36 months" not in settlement


def test_a_settlement_beside_a_surplus_is_flagged_on_its_card(client, user):
    settlement = card(page(client, import_example(client, "us-with-priority.json")),
                      "settlement")
    assert 'data-warning="surplus"' in settlement and "in 7 months" in settlement


def test_rent_arrears_without_housing_costs_are_flagged(client, user):
    html = page(client, import_example(client, "us-with-priority.json"))
    assert 'id="housing-missing"' in html
    assert "From Apr 1, 2027" in text(html) and "$2,573.66" in text(html)


def test_plans_past_sixty_months_point_to_what_an_adviser_would_raise(client, user):
    html = page(client, import_example(client, "cn-four-cards.json"))
    section = text(html[html.index('id="long-plan"'):html.index('class="strategies"')])
    assert "个性化分期" in section and "12348" in section
    assert "It would take 75 months" in text(card(html, "pro_rata"))
    zh = page(client, import_example(client, "cn-four-cards.json"), ZH)
    assert "部分方案需要五年以上" in zh and "依据第七十条与各发卡银行协商个性化分期" in zh


def test_a_gb_plan_past_sixty_months_names_the_uk_options(client, user):
    url = make_case(client)
    make_item(client, url, "income", amount="100", frequency="monthly")
    make_debt(client, url, balance="7000", apr="0", contractual_payment="500")
    html = page(client, url)
    section = text(html[html.index('id="long-plan"'):html.index('class="strategies"')])
    assert "Debt Relief Order" in section and "bankruptcy" in section
    assert "Breathing Space" in section
    assert 'data-warning="long_plan"' in card(html, "pro_rata")


def test_the_chosen_term_is_used_and_a_shorter_one_mentioned(client, user):
    url = make_case(client, term_months="60")
    make_item(client, url, "income", amount="100", frequency="monthly")
    make_debt(client, url, balance="4200", apr="0", contractual_payment="500")
    term = card(page(client, url), "term_extension")
    assert 'data-figure="months">60 months' in term
    assert "A shorter term of 42 months would also fit" in term


def test_the_debt_form_keeps_arrears_and_checks_them(app, client, user):
    url = make_case(client)
    make_debt(client, url, creditor="Ally Auto", kind="secured_loan", balance="14200",
              contractual_payment="385", arrears="770", arrears_payment="110")
    with app.app_context():
        debt = db.session.scalar(select(Debt))
        assert (debt.arrears, debt.arrears_payment) == (770, 110)
    exported = client.get(url + "/export").get_json()
    assert exported["debts"][0]["arrears"] == "770.00"
    response = client.post(url + "/debts/new", data={
        "creditor": "Visa", "kind": "credit_card", "balance": "900", "apr": "20",
        "contractual_payment": "30", "priority": "auto", "arrears": "100",
        "arrears_payment": "10"})
    assert "Only for priority debts" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(Debt)).all()) == 1  # nothing saved


def test_a_car_loan_behind_without_arrears_planned_is_flagged(client, user):
    raw = json.loads((EXAMPLES / "us-car-loan.json").read_text(encoding="utf-8"))
    del raw["debts"][0]["arrears"], raw["debts"][0]["arrears_payment"]
    response = client.post("/cases/import", data={"text": json.dumps(raw)})
    html = page(client, response.location)
    assert "You are behind with Ally Auto" in text(html)
    assert 'id="arrears-unplanned"' not in page(client, import_example(client,
                                                                      "us-car-loan.json"))
