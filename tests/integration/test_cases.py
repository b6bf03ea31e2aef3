import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import BudgetItem, Case, Debt


def figures(html: str) -> dict[str, str]:
    """The budget summary as shown: {name: text}."""
    return {
        name: text.strip()
        for name, text in re.findall(
            r'data-figure="(\w+)">(?:− )?<span class="amount[^"]*">([^<]*)</span>', html)
    }


@pytest.fixture
def case_url(client, auth):
    auth.register()
    return make_case(client)


def test_a_new_case_belongs_to_its_creator(app, client, case_url):
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.currency == "GBP" and case.jurisdiction == "GB"
        assert (case.adults, case.children) == (2, 1)
        assert str(case.start_date) == "2027-01-31"
        assert case_url.endswith(case.public_id)
    assert b"Our household" in client.get("/").data


def test_the_budget_summary_follows_the_case_file_rules(client, case_url):
    # 400 a week = 400 × 52 / 12 = 1733.333… → 1733.33
    make_item(client, case_url, "income", label="Wages", amount="400", frequency="weekly")
    # 100 every four weeks = 108.333…; 50 a fortnight = 108.333…: exact sum 216.67
    make_item(client, case_url, "income", label="Benefit", amount="100", frequency="four_weekly")
    make_item(client, case_url, "income", label="Maintenance", amount="50",
              frequency="fortnightly")
    make_item(client, case_url, "expense", label="Rent", amount="700", category="housing",
              frequency="monthly")
    # 240 a quarter = 80; 600 a year = 50
    make_item(client, case_url, "expense", label="Water", amount="240", category="utilities",
              frequency="quarterly")
    make_item(client, case_url, "expense", label="TV licence", amount="600",
              category="communications", frequency="yearly")
    make_debt(client, case_url, creditor="Council", kind="council_tax", balance="300",
              apr="0", contractual_payment="100")
    make_debt(client, case_url, creditor="Barclaycard", kind="credit_card", balance="3000",
              contractual_payment="90")
    html = client.get(case_url).get_data(as_text=True)
    assert figures(html) == {
        "monthly_income": "£1,950.00",  # 1733.333 + 108.333 + 108.333 = 1950.00 exactly
        "monthly_expenses": "£830.00",
        "priority_payments": "£100.00",  # council tax only: the card is not priority
        "available": "£1,020.00",
    }


def test_a_deficit_is_shown_with_a_warning(client, case_url):
    make_item(client, case_url, "income", amount="100", frequency="monthly")
    make_item(client, case_url, "expense", label="Rent", amount="700.50", frequency="monthly")
    html = client.get(case_url).get_data(as_text=True)
    # A shortfall is said in words: a "−" could wrap away from the amount on a phone.
    available = re.search(r'data-figure="available">(.*?)</dd>', html).group(1)
    assert re.sub(r"<[^>]+>", "", available) == "short by £600.50"
    assert 'class="warning"' in html


def test_the_priority_override_beats_the_kind(client, case_url):
    make_item(client, case_url, "income", amount="1000", frequency="monthly")
    make_debt(client, case_url, creditor="Family loan", kind="personal_loan",
              contractual_payment="200", priority="yes")
    make_debt(client, case_url, creditor="Old tax", kind="tax", contractual_payment="50",
              priority="no")
    assert figures(client.get(case_url).get_data(as_text=True))["priority_payments"] == "£200.00"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("balance", "-5", "Must be at least 0."),
    ("balance", "NaN", "Enter a number"),
    ("balance", "Infinity", "Enter a number"),
    ("balance", "12.345", "at most 2 decimal places"),
    ("balance", "1e40", "Must be at most"),
    ("apr", "1001", "Must be at most 1000"),
    ("contractual_payment", "", "Enter an amount."),
    ("creditor", "", "This field is required."),
    ("creditor", "x" * 301, "cannot be longer than 300"),
    ("creditor", "nul\x00byte", "not allowed"),
    ("kind", "loan_shark", "Not a valid choice"),
    ("days_overdue", "-1", "Must be between 0 and 36500."),
    ("days_overdue", "ten", "Not a valid integer"),
    ("creditor_email", "not-an-email", "Invalid email"),
])
def test_a_bad_debt_comes_back_with_a_message_beside_the_field_and_nothing_saved(
        app, client, case_url, field, value, message):
    data = {"creditor": "Barclaycard", "kind": "credit_card", "balance": "3000", "apr": "24.9",
            "contractual_payment": "90", "priority": "auto", field: value}
    response = client.post(f"{case_url}/debts/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(rf'id="{field}-error">([^<]*)<', html)
    assert error and message.lower() in error.group(1).lower(), html[-2000:]
    with app.app_context():
        assert db.session.scalar(select(func.count(Debt.id))) == 0


def test_amounts_are_stored_as_exact_decimals(app, client, case_url):
    make_debt(client, case_url, balance="1,234.56", apr="19.99", contractual_payment="0.01")
    with app.app_context():
        debt = db.session.scalar(select(Debt))
        assert debt.balance == Decimal("1234.56")
        assert debt.apr == Decimal("19.9900")
        assert debt.contractual_payment == Decimal("0.01")
        assert debt.ref == "barclaycard"


def test_debt_ids_stay_unique_within_a_case(app, client, case_url):
    make_debt(client, case_url, creditor="Barclaycard")
    make_debt(client, case_url, creditor="Barclaycard")
    make_debt(client, case_url, creditor="招商银行")
    with app.app_context():
        refs = list(db.session.scalars(select(Debt.ref).order_by(Debt.id)))
    assert refs == ["barclaycard", "barclaycard-2", "debt"]


def test_editing_and_deleting_items_and_debts(app, client, case_url):
    make_item(client, case_url, "expense", label="Food", amount="300", category="food",
              frequency="monthly")
    make_debt(client, case_url)
    with app.app_context():
        item_id = db.session.scalar(select(BudgetItem.id))
        debt_id = db.session.scalar(select(Debt.id))
        revision = db.session.scalar(select(Case.revision))
    response = client.post(f"{case_url}/items/{item_id}/edit", data={
        "label": "Food and toiletries", "amount": "320", "frequency": "monthly",
        "category": "food"})
    assert response.status_code == 302
    response = client.post(f"{case_url}/debts/{debt_id}/edit", data={
        "creditor": "Barclaycard", "kind": "credit_card", "balance": "2900", "apr": "0",
        "contractual_payment": "80", "priority": "auto"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(BudgetItem.amount)) == Decimal("320.00")
        assert db.session.scalar(select(Debt.balance)) == Decimal("2900.00")
        assert db.session.scalar(select(Case.revision)) == revision + 2
    client.post(f"{case_url}/items/{item_id}/delete")
    client.post(f"{case_url}/debts/{debt_id}/delete")
    with app.app_context():
        assert db.session.scalar(select(func.count(BudgetItem.id))) == 0
        assert db.session.scalar(select(func.count(Debt.id))) == 0


def test_deleting_a_case_deletes_everything_in_it(app, client, case_url):
    make_item(client, case_url)
    make_debt(client, case_url)
    assert client.post(f"{case_url}/delete", data={"word": "erase"}).status_code == 302
    with app.app_context():
        for model in (Case, BudgetItem, Debt):
            assert db.session.scalar(select(func.count(model.id))) == 0


def test_a_bad_case_form_saves_nothing(app, client, auth):
    auth.register()
    response = client.post("/cases/new", data={
        "currency": "XXX", "jurisdiction": "Mars", "start_date": "2027-02-30", "adults": "0",
        "children": "-1", "min_offer": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("currency", "jurisdiction", "start_date", "adults", "children", "min_offer"):
        assert f'id="{field}-error"' in html, field
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 0


def test_an_unknown_item_or_debt_is_404(client, case_url):
    assert client.get(f"{case_url}/items/999/edit").status_code == 404
    assert client.get(f"{case_url}/debts/999/edit").status_code == 404
    assert client.get(f"{case_url}/savings/new").status_code == 404


def test_addresses_typed_on_several_lines_are_stored_with_plain_newlines(app, client, auth):
    auth.register(email="lines@example.com")
    case_url = make_case(client, borrower_address="1 High Street\r\nLeeds\rLS1 1AA")
    make_item(client, case_url, "income", amount="2000", frequency="monthly")
    make_debt(client, case_url, creditor_address="PO Box 1\r\nNorthampton")
    with app.app_context():
        assert db.session.scalar(select(Case.borrower_address)) == "1 High Street\nLeeds\nLS1 1AA"
        assert db.session.scalar(select(Debt.creditor_address)) == "PO Box 1\nNorthampton"
    # ...so the case file check accepts them and a proposal can be saved.
    assert client.post(case_url + "/plan", data={"strategy": "avalanche"}).status_code == 302


def test_who_holds_a_debt_is_asked_saved_exported_and_explained_in_both_languages(
        app, client, case_url):
    page = client.get(f"{case_url}/debts/new").get_data(as_text=True)
    assert 'name="holder"' in page and "A company that bought the debt" in page
    assert "collection agencies and debt buyers, not from the original lender" in page
    client.post("/language", data={"lang": "zh_CN", "next": "/"})
    zh = client.get(f"{case_url}/debts/new").get_data(as_text=True)
    assert "债务收购公司" in zh and "而不是原放款机构" in zh
    client.post("/language", data={"lang": "en", "next": "/"})
    make_debt(client, case_url, creditor="Midland Credit", holder="debt_buyer")
    make_debt(client, case_url, creditor="Chase")  # no answer: the original creditor
    with app.app_context():
        rows = dict(db.session.execute(select(Debt.creditor, Debt.holder)).all())
        debt_id = db.session.scalar(select(Debt.id).where(Debt.creditor == "Midland Credit"))
    assert rows == {"Midland Credit": "debt_buyer", "Chase": "original_creditor"}
    edit = client.get(f"{case_url}/debts/{debt_id}/edit").get_data(as_text=True)
    assert re.search(r'<option selected value="debt_buyer"|<option value="debt_buyer" selected',
                     edit)
    shown = client.get(case_url).get_data(as_text=True)
    assert shown.count("sold to a debt buyer") == 1 and "original_creditor" not in shown
    exported = client.get(f"{case_url}/export").get_json()
    assert [d.get("holder") for d in exported["debts"]] == ["debt_buyer", None]
    bad = client.post(f"{case_url}/debts/new", data={
        "creditor": "X", "kind": "credit_card", "balance": "1", "apr": "0",
        "contractual_payment": "0", "priority": "auto", "holder": "bailiff"})
    error = re.search(r'id="holder-error">([^<]*)<', bad.get_data(as_text=True))
    assert bad.status_code == 200 and error and "not a valid choice" in error.group(1).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Debt.id))) == 2


def test_where_the_lump_sum_comes_from_is_saved_and_exported(app, client, auth):
    auth.register(email="lump@example.com")
    case_url = make_case(client, lump_sum="900", lump_sum_source="  my redundancy pay ")
    with app.app_context():
        assert db.session.scalar(select(Case.lump_sum_source)) == "my redundancy pay"
    assert client.get(f"{case_url}/export").get_json()["lump_sum_source"] == "my redundancy pay"
