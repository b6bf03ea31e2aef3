"""Issue 7, item 7: one text rule for the forms and the case-file parser.

Whatever a form accepts exports and re-imports; control characters are
refused beside the field; text stored before the rule no longer makes the
export or a proposal's letters page fail for ever.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from tests.factories import make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import Case, Debt, Proposal

# Text as people and attackers send it: any character, and the control
# characters (ESC, BEL, VT, bare CR, NUL, C1) often.
controls = st.sampled_from(["\x1b", "\x07", "\x0b", "\r", "\r\n", "\x00", "\x0c", "\x85",
                            "\x9b", "\x7f", "\t", "\n", " "])
texts = st.lists(st.one_of(st.text(max_size=5), controls), max_size=8).map("".join)

CASE_TEXT = ["title", "borrower_name", "borrower_address", "borrower_phone"]
DEBT_TEXT = ["creditor", "account_ref", "creditor_address"]


@pytest.fixture
def case_url(client, auth):
    auth.register()
    url = make_case(client)
    make_item(client, url, "income", amount="2000", frequency="monthly")
    return url


def _exported(client, url: str) -> dict:
    response = client.get(url + "/export")
    assert response.status_code == 200
    return json.loads(response.data)


def _reimport(client, exported: dict) -> dict:
    response = client.post("/cases/import", data={"text": json.dumps(exported)})
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    return _exported(client, response.location)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_anything_a_form_accepts_exports_and_re_imports_unchanged(client, case_url, data):
    case_url = make_case(client)  # a fresh case per example: examples stay independent
    form = data.draw(st.sampled_from(["case", "debt", "item"]), label="form")
    field = data.draw(st.sampled_from(
        {"case": CASE_TEXT, "debt": DEBT_TEXT, "item": ["label"]}[form]), label="field")
    value = data.draw(texts, label="value")
    if form == "case":
        response = client.post(case_url + "/edit", data={
            "title": "Ours", "currency": "GBP", "jurisdiction": "GB", "start_date": "2027-01-31",
            "adults": "1", "children": "0", "language": "", "lump_sum": "", "min_offer": "1",
            "term_apr": "0", "pro_rata_basis": "balance", field: value})
    elif form == "debt":
        response = client.post(case_url + "/debts/new", data={
            "creditor": "Bank", "kind": "credit_card", "balance": "100", "apr": "0",
            "contractual_payment": "5", "priority": "auto", field: value})
    else:
        response = client.post(case_url + "/expense/new", data={
            "label": value, "amount": "5", "frequency": "monthly", "category": "other"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:  # refused beside the field: nothing to check
        return
    exported = _exported(client, case_url)
    assert _reimport(client, exported) == exported


def test_a_label_or_creditor_of_only_spaces_is_refused_not_stored_empty(app, client, case_url):
    """The form took "   " (InputRequired) and stored "" after stripping, which
    the case-file parser refuses: the export then did not re-import."""
    response = client.post(case_url + "/expense/new", data={
        "label": "   ", "amount": "5", "frequency": "monthly", "category": "other"})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    response = client.post(case_url + "/debts/new", data={
        "creditor": " \t ", "kind": "credit_card", "balance": "100", "apr": "0",
        "contractual_payment": "5", "priority": "auto"})
    assert response.status_code == 200
    exported = _exported(client, case_url)
    assert _reimport(client, exported) == exported


def test_esc_bel_vt_and_cr_through_the_form(app, client, case_url):
    """The bug: these were stored as typed, and the export then did not re-import."""
    for char in ("\x1b", "\x07"):
        response = client.post(case_url + "/debts/new", data={
            "creditor": f"Bad{char}Bank", "kind": "credit_card", "balance": "100", "apr": "0",
            "contractual_payment": "5", "priority": "auto"})
        assert response.status_code == 200
        assert "Contains a character that is not allowed." in response.get_data(as_text=True)
    make_debt(client, case_url, creditor="Good Bank",
              creditor_address="PO Box 1\x0bLeeds\rLS1\r\nUK", account_ref="12\r34")
    with app.app_context():
        debt = db.session.scalar(select(Debt))
        assert db.session.scalar(select(Debt.creditor)) == "Good Bank"
        assert (debt.creditor_address, debt.account_ref) == ("PO Box 1\nLeeds\nLS1\nUK", "12\n34")
    exported = _exported(client, case_url)
    assert _reimport(client, exported) == exported


def test_text_stored_before_the_rule_still_exports_and_its_letters_page_works(
        app, client, case_url):
    # a contractual payment beyond the budget: pro rata applies (issue 13.1)
    make_debt(client, case_url, creditor="Vanquis", balance="12000", contractual_payment="2500",
              account_ref="VQ-2222")
    assert client.post(case_url + "/plan", data={"strategy": "pro_rata"}).status_code == 302
    # What the old forms let through, written straight into the rows and the snapshot.
    with app.app_context():
        db.session.execute(update(Debt).values(creditor="Van\x1bquis", creditor_address="a\rb"))
        db.session.execute(update(Case).values(borrower_name="Ann\x07",
                                               borrower_address="1 High Street\rLeeds"))
        proposal = db.session.scalar(select(Proposal))
        snapshot = json.loads(json.dumps(proposal.case_snapshot))
        snapshot["debts"][0]["creditor"] = "Van\x1bquis"
        proposal.case_snapshot = snapshot
        db.session.commit()
        letters = f"{case_url}/proposals/{proposal.public_id}/letters"
    exported = _exported(client, case_url)
    assert exported["debts"][0]["creditor"] == "Vanquis"
    assert exported["debts"][0]["creditor_address"] == "a\nb"
    assert _reimport(client, exported) == exported
    assert client.get(letters).status_code == 200
    assert client.post(letters, data={"letter_type": "proposal",
                                      "language": "en"}).status_code == 302
