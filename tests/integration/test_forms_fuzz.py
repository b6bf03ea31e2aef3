"""Property: no value posted to any form gets a 5xx (and nothing half-saved on refusal)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_case, make_debt, make_item

# Values users (and attackers) type: numbers in every shape, huge and tiny,
# dates real and impossible, and arbitrary text including NUL and emoji.
numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", " ", "1e999999", "-0", "0.001", "１２３", "1,2,3", "NaN", "inf",
                     "2027-02-30", "9999-12-31", "0001-01-01", "1" * 400]),
)
texts = st.text(max_size=300)
values = st.one_of(numbers, texts)

FORMS = {
    "register": ("/auth/register", ["email", "password", "confirm", "role", "display_name"]),
    "login": ("/auth/login", ["email", "password"]),
    "password": ("/auth/password", ["current_password", "new_password", "confirm"]),
    "new_case": ("/cases/new", ["title", "currency", "jurisdiction", "start_date", "adults",
                                "children", "language", "lump_sum", "lump_sum_source",
                                "min_offer", "borrower_name", "borrower_address", "borrower_email",
                                "borrower_phone"]),
    "edit_case": ("{case}/edit", ["title", "currency", "jurisdiction", "start_date", "adults",
                                  "children", "language", "lump_sum", "min_offer"]),
    "income": ("{case}/income/new", ["label", "amount", "frequency", "category"]),
    "expense": ("{case}/expense/new", ["label", "amount", "frequency", "category"]),
    "edit_item": ("{case}/items/{item}/edit", ["label", "amount", "frequency", "category"]),
    "debt": ("{case}/debts/new", ["creditor", "kind", "balance", "apr", "contractual_payment",
                                  "days_overdue", "priority", "holder", "account_ref",
                                  "creditor_address",
                                  "creditor_email", "creditor_phone"]),
    "edit_debt": ("{case}/debts/{debt}/edit", ["creditor", "kind", "balance", "apr",
                                               "contractual_payment", "days_overdue",
                                               "priority", "holder"]),
    "import": ("/cases/import", ["text"]),
    "language": ("/language", ["lang", "next"]),
}


@pytest.fixture
def world(app, client, auth):
    auth.register(password="fuzzing password 1")
    case = make_case(client)
    make_item(client, case)
    make_debt(client, case)
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import BudgetItem, Debt

    with app.app_context():
        item = db.session.scalar(select(BudgetItem.id))
        debt = db.session.scalar(select(Debt.id))
    return {"case": case, "item": item, "debt": debt}


@pytest.mark.parametrize("form", sorted(FORMS))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_posted_value_causes_a_server_error(client, world, form, data):
    url, fields = FORMS[form]
    url = url.format(**world)
    payload = {name: data.draw(values, label=name) for name in fields
               if data.draw(st.booleans(), label=f"send {name}") or name == fields[0]}
    response = client.post(url, data=payload)
    assert response.status_code < 500, (url, payload, response.get_data(as_text=True)[-500:])
    # Keep the fuzzing session logged in: a successful password change or a
    # registration of a new account must not leave later examples logged out.
    if form in {"password", "register"} and response.status_code == 302:
        client.post("/auth/logout")
        client.post("/auth/login", data={"email": "borrower@example.com",
                                         "password": payload.get("new_password",
                                                                 "fuzzing password 1")})
