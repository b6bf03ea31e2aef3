"""Builders for test data: ``make_*`` functions with sensible defaults."""

from __future__ import annotations

CASE_FORM = {
    "title": "Our household",
    "currency": "GBP",
    "jurisdiction": "GB",
    "start_date": "2027-01-31",
    "adults": "2",
    "children": "1",
    "language": "",
    "lump_sum": "",
    "min_offer": "1.00",
}


def make_case(client, **overrides) -> str:
    """Create a case through the form; returns its URL."""
    response = client.post("/cases/new", data={**CASE_FORM, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def make_item(client, case_url: str, direction: str = "income", **overrides):
    data = {"label": "Wages", "amount": "400", "frequency": "weekly", "category": "other"}
    response = client.post(f"{case_url}/{direction}/new", data={**data, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def make_debt(client, case_url: str, **overrides):
    data = {"creditor": "Barclaycard", "kind": "credit_card", "balance": "3000",
            "apr": "24.9", "contractual_payment": "90", "priority": "auto"}
    response = client.post(f"{case_url}/debts/new", data={**data, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def verify_account(client, app, email: str):
    """Verify ``email``'s account by following the link Parley would e-mail."""
    from webapp.extensions import db
    from webapp.services import accounts

    with app.app_context():
        user = accounts.find_by_email(email)
        token = accounts.verification_token(user, app.config)
        db.session.remove()
    response = client.get(f"/auth/verify/{token}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
