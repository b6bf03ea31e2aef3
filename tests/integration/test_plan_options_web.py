"""The case form's plan options (pro-rata basis, term, APR) reach the plan page."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import CASE_FORM, make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import Case

OPTIONS = {"pro_rata_basis": "contractual", "term_months": "6", "term_apr": "6.5"}


def strategy(html: str, name: str) -> str:
    """One strategy's <article> on the plan page, its opening tag included."""
    return "<article" + html.split(f'<article id="strategy-{name}"')[1].split("</article>")[0]


@pytest.fixture
def case_url(client, auth):
    auth.register()
    url = make_case(client, **OPTIONS)
    make_item(client, url, "income", label="Wages", amount="500", frequency="monthly")
    make_debt(client, url, creditor="Alpha Bank", balance="3000", contractual_payment="150")
    # No contractual payment: weighs 3% of 2,000 = 60.
    make_debt(client, url, creditor="Beta Loans", balance="2000", contractual_payment="0")
    return url


def test_the_case_form_saves_the_plan_options(app, case_url):
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.pro_rata_basis == "contractual"
        assert case.term_months == 6
        assert case.term_apr == Decimal("6.5")


def test_the_plan_page_shares_by_contractual_payment_and_uses_the_term(client, case_url):
    html = client.get(case_url + "/plan").get_data(as_text=True)
    pro_rata = strategy(html, "pro_rata")
    assert "in proportion to the contractual monthly payments" in pro_rata
    # 500 by weight 150 : 60 → 357.142... and 142.857...; the cent left by the
    # floors (357.14 + 142.85) goes to the larger remainder, Beta's.
    assert "£357.14" in pro_rata and "£142.86" in pro_rata
    term = strategy(html, "term_extension")
    assert "Over 6 months, the term you chose, at 6.5% a year." in term
    # 5,000 cannot be repaid within 6 months out of 500 a month.
    assert "Even over 6 months you would need" in term


def test_the_plan_page_shows_the_proposed_apr_of_a_feasible_term(client, case_url):
    client.post(case_url + "/edit", data={**CASE_FORM, **OPTIONS, "term_months": "24"})
    html = client.get(case_url + "/plan").get_data(as_text=True)
    term = strategy(html, "term_extension")
    assert 'data-feasible="yes"' in term
    assert "Over 24 months, the term you chose, at 6.5% a year." in term
    assert re.search(r'data-figure="apr">6\.5%<', term)


def test_the_edit_form_shows_the_saved_options_and_saves_them_again(app, client, case_url):
    html = client.get(case_url + "/edit").get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="contractual"', html)
    assert re.search(r'name="term_months"[^>]*value="6"', html)
    term_apr = re.search(r'name="term_apr"[^>]*value="([^"]*)"', html).group(1)
    response = client.post(case_url + "/edit", data={
        **CASE_FORM, "pro_rata_basis": "contractual", "term_months": "6", "term_apr": term_apr,
    })
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.pro_rata_basis, case.term_months, case.term_apr) == (
            "contractual", 6, Decimal("6.5"))


def test_an_empty_term_means_the_default(app, client, case_url):
    client.post(case_url + "/edit", data={
        **CASE_FORM, "pro_rata_basis": "balance", "term_months": "", "term_apr": "0"})
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.pro_rata_basis, case.term_months, case.term_apr) == ("balance", None, 0)
    html = client.get(case_url + "/plan").get_data(as_text=True)
    assert "Up to 60 months at 0% a year." in html
    assert "in proportion to what you owe them" in html


@pytest.mark.parametrize(("jurisdiction", "months", "message"), [
    ("CN", "61", "At most 60 months where you live."),
    ("GB", "121", "Must be between 1 and 120."),
])
def test_a_term_beyond_the_jurisdiction_limit_is_refused(
    app, client, case_url, jurisdiction, months, message
):
    response = client.post(case_url + "/edit", data={
        **CASE_FORM, "jurisdiction": jurisdiction, "currency": "CNY", "term_months": months,
    })
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case)).term_months == 6


@pytest.mark.parametrize(("field", "value"), [
    ("term_apr", "100.5"), ("term_apr", "1.23456"), ("term_months", "0"),
    ("pro_rata_basis", "income"),
])
def test_bad_option_values_are_refused_beside_the_field(client, case_url, field, value):
    response = client.post(case_url + "/edit", data={**CASE_FORM, **OPTIONS, field: value})
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
