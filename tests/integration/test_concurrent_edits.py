"""Two browsers on one case: no silent lost update, no duplicate from a double
click, no server error when one edits what the other deletes.

Stale saves are played in order (A and B load the form, A saves, B saves); the
races run real requests in threads released together, many times, on SQLite and
on PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.concurrency import hidden, race, second_client
from tests.factories import make_case, make_debt, make_item
from webapp.extensions import db
from webapp.models import BudgetItem, Case, Debt, Proposal

ROUNDS = 20
DEBT = {"creditor": "Barclaycard", "kind": "credit_card", "balance": "3000", "apr": "24.9",
        "contractual_payment": "90", "priority": "auto"}
ITEM = {"label": "Wages", "amount": "400", "frequency": "weekly", "category": "other"}
STALE = "changed by someone else"


@pytest.fixture
def case_url(client, auth):
    auth.register()
    return make_case(client)


@pytest.fixture
def other(app, case_url):
    return second_client(app)


def _debt(app) -> Debt:
    with app.app_context():
        debt = db.session.scalar(select(Debt).order_by(Debt.id))
        db.session.expunge_all()
        return debt


def _form(client, url: str) -> dict[str, str]:
    """The version and token the edit page was loaded with."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {"version": hidden(html, "version")}


# --- stale saves (item 6) -----------------------------------------------------------------


def test_a_stale_debt_save_is_refused_and_keeps_what_was_typed(app, client, other, case_url):
    make_debt(client, case_url)
    url = f"{case_url}/debts/{_debt(app).id}/edit"
    mine, theirs = _form(client, url), _form(other, url)
    assert mine["version"] == theirs["version"]
    assert client.post(url, data={**DEBT, **mine, "balance": "2500"}).status_code == 302
    stale = other.post(url, data={**DEBT, **theirs, "balance": "2750.55",
                                  "account_ref": "typed by B"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert STALE in html and "Balance owed" in html  # says which field changed
    assert 'value="2750.55"' in html and 'value="typed by B"' in html  # B's typing kept
    assert _debt(app).balance == 2500 and _debt(app).account_ref == ""
    # saving again from the page that told B about the change is B's decision: it goes through
    again = other.post(url, data={**DEBT, "version": hidden(html, "version"),
                                  "balance": "2750.55"})
    assert again.status_code == 302
    assert str(_debt(app).balance) == "2750.55"


def test_a_stale_item_save_is_refused(app, client, other, case_url):
    make_item(client, case_url, "income")
    with app.app_context():
        item_id = db.session.scalar(select(BudgetItem.id))
    url = f"{case_url}/items/{item_id}/edit"
    mine, theirs = _form(client, url), _form(other, url)
    assert client.post(url, data={**ITEM, **mine, "amount": "450"}).status_code == 302
    stale = other.post(url, data={**ITEM, **theirs, "amount": "999"})
    assert stale.status_code == 409
    assert STALE in stale.get_data(as_text=True) and 'value="999"' in stale.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(BudgetItem.amount)) == 450


def test_a_stale_case_save_is_refused(app, client, other, case_url):
    from tests.factories import CASE_FORM

    url = f"{case_url}/edit"
    mine, theirs = _form(client, url), _form(other, url)
    assert client.post(url, data={**CASE_FORM, **mine, "title": "Mine"}).status_code == 302
    stale = other.post(url, data={**CASE_FORM, **theirs, "title": "Theirs"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert STALE in html and 'value="Theirs"' in html and "Name of the case" in html
    with app.app_context():
        assert db.session.scalar(select(Case.title)) == "Mine"


def test_a_debt_change_does_not_make_the_case_form_stale_but_changes_the_etag(
        app, client, other, case_url):
    from tests.factories import CASE_FORM
    from webapp.services.cases import etag_for

    url = f"{case_url}/edit"
    mine = _form(client, url)
    with app.app_context():
        before = etag_for(db.session.scalar(select(Case)))
    make_debt(other, case_url)
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert etag_for(case) != before
        revision = case.revision
    assert client.post(url, data={**CASE_FORM, **mine, "title": "Mine"}).status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.title == "Mine" and case.revision == revision + 1


def test_the_proposal_goes_stale_on_a_debt_change_as_before(app, client, case_url):
    make_item(client, case_url, "income", amount="2000", frequency="monthly")
    make_debt(client, case_url)
    # (the contractual payment fits: the plan keeps it, highest interest first)
    assert client.post(f"{case_url}/plan", data={"strategy": "avalanche"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.case_revision == proposal.case.revision
    url = f"{case_url}/debts/{_debt(app).id}/edit"
    assert client.post(url, data={**DEBT, **_form(client, url),
                                  "balance": "10"}).status_code == 302
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.case.revision == proposal.case_revision + 1


def test_two_saves_of_the_same_version_at_once_let_exactly_one_through(
        app, client, other, case_url):
    make_debt(client, case_url)
    url = f"{case_url}/debts/{_debt(app).id}/edit"
    for n in range(ROUNDS):
        version = _form(client, url)["version"]
        mine = {**DEBT, "version": version, "balance": f"1{n}1"}
        theirs = {**DEBT, "version": version, "balance": f"1{n}2"}
        a, b = race(lambda mine=mine: client.post(url, data=mine),
                    lambda theirs=theirs: other.post(url, data=theirs))
        assert sorted([a.status_code, b.status_code]) == [302, 409], n
        winner = f"1{n}1" if a.status_code == 302 else f"1{n}2"
        assert str(_debt(app).balance) == f"{winner}.00"


# --- double submits and edit against delete (item 9) ---------------------------------------


def _new_debt_form(client, case_url) -> dict[str, str]:
    html = client.get(f"{case_url}/debts/new").get_data(as_text=True)
    return {"form_token": hidden(html, "form_token")}


def test_a_double_clicked_add_debt_saves_one_debt(app, client, other, case_url):
    for n in range(ROUNDS):
        data = {**DEBT, **_new_debt_form(client, case_url), "creditor": f"Lender {n}"}
        a, b = race(lambda data=data: client.post(f"{case_url}/debts/new", data=data),
                    lambda data=data: other.post(f"{case_url}/debts/new", data=data))
        assert (a.status_code, b.status_code) == (302, 302), n
    with app.app_context():
        refs = db.session.scalars(select(Debt.ref).order_by(Debt.id)).all()
    assert refs == [f"lender-{n}" for n in range(ROUNDS)]


def test_two_new_debts_to_the_same_creditor_at_once_get_their_own_refs(
        app, client, other, case_url):
    for _ in range(ROUNDS // 2):
        a, b = race(
            lambda: client.post(f"{case_url}/debts/new", data={
                **DEBT, **_new_debt_form(client, case_url)}),
            lambda: other.post(f"{case_url}/debts/new", data={
                **DEBT, **_new_debt_form(other, case_url)}))
        assert (a.status_code, b.status_code) == (302, 302)
    with app.app_context():
        refs = db.session.scalars(select(Debt.ref)).all()
    assert len(refs) == ROUNDS and len(set(refs)) == ROUNDS


def test_a_double_clicked_add_item_saves_one_item(app, client, other, case_url):
    for n in range(ROUNDS // 2):
        html = client.get(f"{case_url}/income/new").get_data(as_text=True)
        data = {**ITEM, "form_token": hidden(html, "form_token"), "label": f"Job {n}"}
        a, b = race(lambda data=data: client.post(f"{case_url}/income/new", data=data),
                    lambda data=data: other.post(f"{case_url}/income/new", data=data))
        assert (a.status_code, b.status_code) == (302, 302)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BudgetItem)) == ROUNDS // 2


@pytest.mark.parametrize("what", ["debt", "item"])
def test_editing_and_deleting_the_same_row_at_once_never_gives_a_server_error(
        app, client, other, case_url, what):
    for n in range(ROUNDS):
        if what == "debt":
            make_debt(client, case_url, creditor=f"Lender {n}")
            with app.app_context():
                row_id = db.session.scalar(select(func.max(Debt.id)))
            base, data = f"{case_url}/debts/{row_id}", {**DEBT, "creditor": f"Lender {n}"}
        else:
            make_item(client, case_url, "expense", label=f"Bill {n}")
            with app.app_context():
                row_id = db.session.scalar(select(func.max(BudgetItem.id)))
            base, data = f"{case_url}/items/{row_id}", {**ITEM, "label": f"Bill {n}"}
        data["version"] = _form(client, base + "/edit")["version"]
        edit, delete = race(lambda base=base, data=data: client.post(base + "/edit", data=data),
                            lambda base=base: other.post(base + "/delete"))
        assert edit.status_code in {302, 404, 409}, edit.get_data(as_text=True)
        assert delete.status_code in {302, 404, 409}, delete.get_data(as_text=True)
        model = Debt if what == "debt" else BudgetItem
        with app.app_context():
            exists = db.session.get(model, row_id) is not None
        # a 302 for the delete means gone; a refused delete leaves the row
        assert exists == (delete.status_code != 302)


def test_a_deleted_rows_id_is_never_given_to_a_new_row(app, client, case_url):
    # Saves match a row by id and version: on SQLite a reused id (a new debt
    # taking a deleted one's id, both at version 1) would let a stale save or
    # "mark sent" land on the wrong row.
    make_debt(client, case_url, creditor="First")
    first = _debt(app)
    assert client.post(f"{case_url}/debts/{first.id}/delete").status_code == 302
    make_debt(client, case_url, creditor="Second")
    assert _debt(app).id > first.id
    stale = client.post(f"{case_url}/debts/{first.id}/edit",
                        data={**DEBT, "version": str(first.version)})
    assert stale.status_code == 404


@pytest.mark.parametrize("path", ["/lost-race", "/api/lost-race"])
def test_a_lost_race_no_view_expected_is_a_409_not_a_500(make_app, path):
    from sqlalchemy.orm.exc import StaleDataError

    app = make_app()

    @app.get(path)
    def lost_race():
        raise StaleDataError("UPDATE statement on table 'debts' expected to update 1 row(s); "
                             "0 were matched.")

    response = app.test_client().get(path)
    assert response.status_code == 409
    assert "changed or deleted this at the same moment" in response.get_data(as_text=True)


class _Orig(Exception):
    """A DBAPI error carrying a SQLSTATE, as psycopg's do."""

    def __init__(self, sqlstate):
        super().__init__("Key (id_number)=(110101199003077777) already locked")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("path", ["/deadlock", "/api/deadlock"])
@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlock_or_serialization_failure_is_a_409_and_logged(make_app, caplog, path,
                                                                 sqlstate):
    from sqlalchemy.exc import OperationalError

    app = make_app()

    @app.get(path)
    def deadlock():
        raise OperationalError("DELETE FROM letters", {}, _Orig(sqlstate))

    response = app.test_client().get(path)
    assert response.status_code == 409
    assert "changed or deleted this at the same moment" in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.levelname == "ERROR"]
    assert logged and "_Orig in " in logged[-1].getMessage()
    assert "110101199003077777" not in caplog.text


def test_any_other_database_error_is_still_a_500(make_app):
    from sqlalchemy.exc import OperationalError

    app = make_app()

    @app.get("/database-down")
    def down():
        raise OperationalError("SELECT 1", {}, _Orig("08006"))

    response = app.test_client().get("/database-down")
    assert response.status_code == 500
    assert "Error reference: " in response.get_data(as_text=True)
